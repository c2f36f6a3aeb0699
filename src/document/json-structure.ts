import { formatPath } from "../diagnostics/diagnostic.js";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

interface Frame {
  /** How the parent reaches this container: a key or an index. */
  segment: string | number;
  /** Objects: keys seen so far. Arrays: null. */
  keys: Set<string> | null;
  expectKey: boolean;
  lastKey: string;
  index: number;
}

export type JsonStructureProblem = { kind: "duplicate_key"; path: string } | { kind: "too_deep"; path: string };

/**
 * Checks what JSON.parse does not: JSON.parse keeps the last of two equal keys silently, and in
 * evidence that is an attack (one parser reads `"status": "fail"`, another `"status": "pass"`);
 * and nesting deeper than `maxDepth`, which would make every later recursive walk a stack risk.
 * Given text that JSON.parse accepted, returns the first problem, or null.
 */
export function checkJsonStructure(text: string, root: string, maxDepth: number): JsonStructureProblem | null {
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = closingQuote(text, i + 1);
      const top = stack[stack.length - 1];
      if (top?.keys && top.expectKey) {
        const raw = text.slice(i + 1, end);
        const key = raw.includes("\\") ? (JSON.parse(`"${raw}"`) as string) : raw;
        if (top.keys.has(key)) return { kind: "duplicate_key", path: formatPath(root, [...pathOf(stack), key]) };
        top.keys.add(key);
        top.expectKey = false;
        top.lastKey = key;
      }
      i = end;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      const parent = stack[stack.length - 1];
      const segment = parent === undefined ? "" : parent.keys ? parent.lastKey : parent.index;
      const isObject = c === OPEN_BRACE;
      stack.push({ segment, keys: isObject ? new Set() : null, expectKey: isObject, lastKey: "", index: 0 });
      if (stack.length > maxDepth) return { kind: "too_deep", path: formatPath(root, pathOf(stack)) };
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      stack.pop();
    } else if (c === COMMA) {
      const top = stack[stack.length - 1];
      if (top?.keys) top.expectKey = true;
      else if (top) top.index++;
    }
  }
  return null;
}

function pathOf(stack: Frame[]): Array<string | number> {
  return stack.slice(1).map((frame) => frame.segment);
}

function closingQuote(text: string, from: number): number {
  let j = text.indexOf('"', from);
  while (j !== -1) {
    let backslashes = 0;
    for (let k = j - 1; k >= from && text.charCodeAt(k) === BACKSLASH; k--) backslashes++;
    if (backslashes % 2 === 0) return j;
    j = text.indexOf('"', j + 1);
  }
  return text.length;
}

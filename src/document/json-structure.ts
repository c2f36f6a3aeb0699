import { formatPath } from "../diagnostics/diagnostic.js";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
/** Above this many keys an object's duplicate check switches from a list to a Set. */
const LINEAR_KEYS = 24;

export type JsonStructureProblem = { kind: "duplicate_key"; path: string } | { kind: "too_deep"; path: string };

/**
 * Checks what JSON.parse does not: JSON.parse keeps the last of two equal keys silently, and in
 * evidence that is an attack (one parser reads `"status": "fail"`, another `"status": "pass"`);
 * and nesting deeper than `maxDepth`, which would make every later recursive walk a stack risk.
 *
 * The common case is cheap: the key tokens in the text (found by jumping from string to string)
 * must equal the own keys of the parsed value, which they do exactly when no key was repeated.
 * Only when they differ, or the value is too deep, does the precise scan run to say where.
 */
export function checkJsonStructure(text: string, value: unknown, root: string, maxDepth: number): JsonStructureProblem | null {
  const walked = countOwnKeys(value, maxDepth);
  if (walked !== null && walked === countKeyTokens(text)) return null;
  return locateStructureProblem(text, root, maxDepth);
}

/** Strings followed by `:` in text that JSON.parse accepted; string contents are skipped with indexOf. */
export function countKeyTokens(text: string): number {
  let count = 0;
  let close = -1;
  for (;;) {
    const open = text.indexOf('"', close + 1);
    if (open === -1) return count;
    close = text.indexOf('"', open + 1);
    if (close === -1) return count; // unreachable for text JSON.parse accepted; never loop on anything else
    // An escaped quote does not end the string: odd backslashes before it mean escaped.
    while (close !== -1 && text.charCodeAt(close - 1) === BACKSLASH && isEscaped(text, close, open + 1)) close = text.indexOf('"', close + 1);
    if (close === -1) return count;
    let next = close + 1;
    let c = text.charCodeAt(next);
    while (c <= 0x20) c = text.charCodeAt(++next);
    if (c === 0x3a) count++;
  }
}

function isEscaped(text: string, quote: number, from: number): boolean {
  let backslashes = 0;
  for (let k = quote - 1; k >= from && text.charCodeAt(k) === BACKSLASH; k--) backslashes++;
  return backslashes % 2 === 1;
}

/** Own keys of every object in the value, or null when it nests deeper than maxDepth. Iterative. */
export function countOwnKeys(value: unknown, maxDepth: number): number | null {
  let keys = 0;
  const nodes: unknown[] = [value];
  const depths: number[] = [0];
  while (nodes.length > 0) {
    const node = nodes.pop();
    const depth = depths.pop()! + 1;
    if (node === null || typeof node !== "object") continue;
    if (depth > maxDepth) return null;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const child: unknown = node[i];
        if (child !== null && typeof child === "object") {
          nodes.push(child);
          depths.push(depth);
        }
      }
    } else {
      // for-in allocates no key array. An inherited enumerable key (a polluted prototype) can only
      // make the counts differ, which sends the check to the precise scan: never a missed duplicate.
      const record = node as Record<string, unknown>;
      for (const name in record) {
        keys++;
        const child = record[name];
        if (child !== null && typeof child === "object") {
          nodes.push(child);
          depths.push(depth);
        }
      }
    }
  }
  return keys;
}

/** The precise scan: names the first repeated key or over-deep container. */
function locateStructureProblem(text: string, root: string, maxDepth: number): JsonStructureProblem | null {
  const isObject = new Uint8Array(maxDepth + 2);
  const expectKey = new Uint8Array(maxDepth + 2);
  const keys: string[][] = [];
  const keySets: Array<Set<string> | null> = [];
  let depth = 0; // number of open containers; the current one is at depth - 1
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20) continue;
    if (c === QUOTE) {
      const end = closingQuote(text, i + 1);
      const top = depth - 1;
      if (top >= 0 && expectKey[top] === 1) {
        const raw = text.slice(i + 1, end);
        const key = raw.includes("\\") ? (JSON.parse(`"${raw}"`) as string) : raw;
        if (seenBefore(keys[top]!, keySets, top, key)) return { kind: "duplicate_key", path: formatPath(root, [...pathTo(text, i), key]) };
        expectKey[top] = 0;
      }
      i = end;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (depth >= maxDepth) return { kind: "too_deep", path: formatPath(root, pathTo(text, i)) };
      const object = c === OPEN_BRACE ? 1 : 0;
      isObject[depth] = object;
      expectKey[depth] = object;
      if (object === 1) {
        const list = keys[depth];
        if (list === undefined) keys[depth] = [];
        else list.length = 0;
        keySets[depth] = null;
      }
      depth++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    } else if (c === COMMA) {
      if (isObject[depth - 1] === 1) expectKey[depth - 1] = 1;
    }
  }
  return null;
}

function seenBefore(list: string[], sets: Array<Set<string> | null>, level: number, key: string): boolean {
  const set = sets[level];
  if (set) {
    if (set.has(key)) return true;
    set.add(key);
    return false;
  }
  for (let k = 0; k < list.length; k++) if (list[k] === key) return true;
  list.push(key);
  if (list.length > LINEAR_KEYS) sets[level] = new Set(list);
  return false;
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

/**
 * The path of the innermost container open at `offset`, for the error message only: a second,
 * slower walk that tracks keys and indexes, run once when a problem has been found.
 */
function pathTo(text: string, offset: number): Array<string | number> {
  const frames: Array<{ isObject: boolean; lastKey: string; index: number; expectKey: boolean }> = [];
  const segments: Array<string | number> = [];
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    const top = frames[frames.length - 1];
    if (c === QUOTE) {
      const end = closingQuote(text, i + 1);
      if (top?.isObject && top.expectKey) {
        const raw = text.slice(i + 1, end);
        top.lastKey = raw.includes("\\") ? (JSON.parse(`"${raw}"`) as string) : raw;
        top.expectKey = false;
      }
      i = end;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (top) segments.push(top.isObject ? top.lastKey : top.index);
      frames.push({ isObject: c === OPEN_BRACE, lastKey: "", index: 0, expectKey: c === OPEN_BRACE });
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      frames.pop();
      segments.pop();
    } else if (c === COMMA && top) {
      if (top.isObject) top.expectKey = true;
      else top.index++;
    }
  }
  return segments;
}

import { formatPath } from "../diagnostics/diagnostic.js";
import { checkPlainValue } from "./plain-value.js";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
/** Above this many keys an object's duplicate check switches from a list to a Set. */
const LINEAR_KEYS = 24;

export type JsonStructureProblem = { kind: "duplicate_key"; path: string } | { kind: "too_deep"; path: string } | { kind: "not_plain"; path: string; message: string };

/**
 * Checks what JSON.parse does not: JSON.parse keeps the last of two equal keys silently, and in
 * evidence that is an attack (one parser reads `"status": "fail"`, another `"status": "pass"`);
 * and nesting deeper than `maxDepth`, which would make every later recursive walk a stack risk.
 *
 * The common case is a count, not a scan. Every string token in the text is a key or a string
 * value; JSON.parse keeps all of them unless a key repeats, in which case it drops at least that
 * key. So the text's string tokens (its quote bytes, less escaped quotes, halved) equal the parsed
 * tree's own keys plus string values exactly when no key was repeated. Only when they differ, or
 * the tree is too deep, does the precise scan run to say where.
 */
export function checkJsonStructure(bytes: Uint8Array, text: string, value: unknown, root: string, maxDepth: number): JsonStructureProblem | null {
  const tree = countTree(value, maxDepth);
  if (tree !== null && countQuoteBytes(bytes) - countEscapedQuotes(text) === 2 * (tree.keys + tree.strings)) {
    // JSON.parse reads `1e400` as Infinity, a number no later check expects; say where it is.
    return tree.nonFinite ? checkPlainValue(value, root, maxDepth) : null;
  }
  return locateStructureProblem(text, root, maxDepth);
}

/**
 * Quote bytes (0x22) in UTF-8, four at a time and without a branch per word (quotes are too
 * frequent in JSON for a skip test to predict): a quote byte never occurs inside a multi-byte
 * sequence; XOR turns quote bytes into zero bytes, the exact zero-byte test marks each with its
 * lane's high bit, and the marks add up per lane, folded every 255 words before a lane overflows.
 */
export function countQuoteBytes(bytes: Uint8Array): number {
  let count = 0;
  const head = Math.min((4 - (bytes.byteOffset % 4)) % 4, bytes.length);
  for (let i = 0; i < head; i++) if (bytes[i] === QUOTE) count++;
  const words = Math.floor((bytes.length - head) / 4);
  // Without a whole word the view's offset may be unaligned, which Uint32Array refuses.
  const view = words > 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset + head, words) : new Uint32Array(0);
  let i = 0;
  while (i < words) {
    const end = Math.min(words, i + 255);
    let lanes = 0;
    for (; i < end; i++) {
      const x = view[i]! ^ 0x22222222;
      lanes += (~(((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x) & 0x80808080) >>> 7;
    }
    count += (lanes & 0xff) + ((lanes >>> 8) & 0xff) + ((lanes >>> 16) & 0xff) + (lanes >>> 24);
  }
  for (let k = head + words * 4; k < bytes.length; k++) if (bytes[k] === QUOTE) count++;
  return count;
}

/** Quotes preceded by an odd run of backslashes: inside strings, not structure. Rare, so indexOf. */
function countEscapedQuotes(text: string): number {
  let count = 0;
  let at = text.indexOf('\\"');
  while (at !== -1) {
    let backslashes = 0;
    for (let k = at; k >= 0 && text.charCodeAt(k) === BACKSLASH; k--) backslashes++;
    if (backslashes % 2 === 1) count++;
    at = text.indexOf('\\"', at + 1);
  }
  return count;
}

/**
 * Own keys and string values in the parsed value, and whether a number overflowed to Infinity;
 * null when it nests deeper than maxDepth. Iterative.
 */
export function countTree(value: unknown, maxDepth: number): { keys: number; strings: number; nonFinite: boolean } | null {
  let keys = 0;
  let strings = typeof value === "string" ? 1 : 0;
  let nonFinite = typeof value === "number" && !Number.isFinite(value);
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
        if (typeof child === "string") strings++;
        else if (typeof child === "number") nonFinite ||= !Number.isFinite(child);
        else if (child !== null && typeof child === "object") {
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
        if (typeof child === "string") strings++;
        else if (typeof child === "number") nonFinite ||= !Number.isFinite(child);
        else if (child !== null && typeof child === "object") {
          nodes.push(child);
          depths.push(depth);
        }
      }
    }
  }
  return { keys, strings, nonFinite };
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

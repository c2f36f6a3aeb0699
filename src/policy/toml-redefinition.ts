import { formatPath, quote, type Diagnostic } from "../diagnostics/diagnostic.js";

/**
 * smol-toml says only "trying to redefine an already defined table or value", which leaves the
 * operator to find which of a policy's many `[repair_classes.…]` tables was written twice. The
 * error's position names it: a table header, or a key under a header or inside an inline table.
 * Null when the position is not on one (the caller then gives smol-toml's own message).
 */
export function explainRedefinition(text: string, line: number, column: number): Diagnostic | null {
  const errorAt = offsetOf(text, line, column);
  if (errorAt === null) return null;
  const found = lastDefinitionUpTo(text, errorAt);
  if (found === null || errorAt < found.start || errorAt > found.end) return null;
  const where = `line ${line}, column ${column}`;
  const twice = (before: number) => {
    const first = lineAndColumn(text, before);
    return first.line === line ? `at line ${line}, columns ${first.column} and ${column}` : `at line ${first.line} and at ${where}`;
  };
  const path = formatPath("policy", pathOf(found.link));
  const written = quote(found.written);
  if (found.kind === "table") {
    return {
      path,
      message:
        found.before === null
          ? `table ${written} at ${where} redefines a table or key set earlier in the file; define each table once`
          : `table ${written} is defined twice, ${twice(found.before)}; merge the two into one table`,
    };
  }
  const scope = found.inline ? " in an inline table" : found.table === null ? "" : ` in table ${quote(found.table)}`;
  return {
    path,
    message:
      found.before === null
        ? `key ${written}${scope} at ${where} redefines a table or key set earlier in the file; set each key once`
        : `key ${written}${scope} is set twice, ${twice(found.before)}; keep one`,
  };
}

type Segment = string | number;

/** A path as links to its parent, so that no table or key copies the whole path above it. */
interface Link {
  up: Link | null;
  segments: readonly Segment[];
}

interface Definition {
  kind: "table" | "key";
  /** As written: `[a."b"]` or `a."b"`. */
  written: string;
  link: Link | null;
  /** The header of the table a key is set in; null at the top of the file. */
  table: string | null;
  inline: boolean;
  start: number;
  end: number;
  /** Where the same table or key was defined before, if it was. */
  before: number | null;
}

interface Table {
  link: Link | null;
  /** Where `[name]` defined it; null while only implied by a longer header. */
  definedAt: number | null;
  children: Map<string, Table>;
  /** The elements of an array of tables (`[[name]]`); null for a table. */
  elements: Table[] | null;
  keys: Map<string, number>;
}

interface Frame {
  kind: "array" | "inline";
  link: Link | null;
  /** Which element of an array comes next. */
  index: number;
  keys: Map<string, number>;
}

interface Key {
  segments: string[];
  start: number;
  end: number;
  /** Where reading goes on: past the blanks after the key. */
  next: number;
}

const BARE = /[A-Za-z0-9_-]/;
const BLANK = /[ \t]/;

/**
 * Reads the text once, as TOML, up to `limit`, and returns the last table header or key that
 * starts there or before it: the one smol-toml refused. Null when the text is not what it expects.
 */
function lastDefinitionUpTo(text: string, limit: number): Definition | null {
  const root = newTable(null);
  let table = root;
  let header: string | null = null;
  const frames: Frame[] = [];
  let last: Definition | null = null;
  let valueLink: Link | null = null;
  let expectKey = true;
  let i = 0;

  while (i < text.length && i <= limit) {
    const c = text[i]!;
    if (c === "\n") {
      if (frames.length === 0) expectKey = true;
      i++;
    } else if (c === " " || c === "\t" || c === "\r") {
      i++;
    } else if (c === "#") {
      const newline = text.indexOf("\n", i);
      i = newline === -1 ? text.length : newline;
    } else if (expectKey && frames.length === 0 && c === "[") {
      const start = i;
      const array = text[i + 1] === "[";
      i += array ? 2 : 1;
      const key = readKey(text, i);
      if (key === null || !text.startsWith(array ? "]]" : "]", key.next)) return null;
      i = key.next + (array ? 2 : 1);
      header = array ? `[[${text.slice(key.start, key.end)}]]` : `[${text.slice(key.start, key.end)}]`;
      const defined = defineTable(root, key.segments, array, start);
      table = defined.table;
      last = { kind: "table", written: header, link: defined.link, table: null, inline: false, start, end: i, before: defined.before };
      expectKey = false;
    } else if (expectKey && (BARE.test(c) || c === '"' || c === "'")) {
      const key = readKey(text, i);
      if (key === null || text[key.next] !== "=") return null;
      i = key.next + 1;
      const frame = frames.at(-1);
      const keys = frame?.keys ?? table.keys;
      const id = JSON.stringify(key.segments);
      const before = keys.get(id) ?? null;
      if (before === null) keys.set(id, key.start);
      valueLink = { up: frame === undefined ? table.link : frame.link, segments: key.segments };
      last = { kind: "key", written: text.slice(key.start, key.end), link: valueLink, table: frame === undefined ? header : null, inline: frame !== undefined, start: key.start, end: key.end, before };
      expectKey = false;
    } else if (c === '"' || c === "'") {
      i = endOfString(text, i);
    } else if (c === "[" || c === "{") {
      const frame = frames.at(-1);
      const link = frame?.kind === "array" ? { up: frame.link, segments: [frame.index] } : valueLink;
      frames.push({ kind: c === "[" ? "array" : "inline", link, index: 0, keys: new Map() });
      expectKey = c === "{";
      i++;
    } else if (c === "]" || c === "}") {
      frames.pop();
      expectKey = false;
      i++;
    } else if (c === ",") {
      const frame = frames.at(-1);
      if (frame?.kind === "array") frame.index++;
      expectKey = frame?.kind === "inline";
      i++;
    } else {
      expectKey = false;
      i++;
    }
  }
  return last;
}

/** A dotted key (`a."b c".d`) from `from`, or null if there is none. */
function readKey(text: string, from: number): Key | null {
  const segments: string[] = [];
  let i = from;
  while (BLANK.test(text[i] ?? "")) i++;
  const start = i;
  for (;;) {
    const c = text[i];
    let end: number;
    if (c === '"' || c === "'") {
      const close = closingQuote(text, i);
      if (close === -1) return null;
      segments.push(c === '"' ? unescape(text.slice(i, close + 1)) : text.slice(i + 1, close));
      end = close + 1;
    } else if (c !== undefined && BARE.test(c)) {
      end = i;
      while (BARE.test(text[end] ?? "")) end++;
      segments.push(text.slice(i, end));
    } else return null;
    i = end;
    while (BLANK.test(text[i] ?? "")) i++;
    if (text[i] !== ".") return { segments, start, end, next: i };
    i++;
    while (BLANK.test(text[i] ?? "")) i++;
  }
}

/** The index of the quote mark that closes a one-line key string opened at `from`, or -1. */
function closingQuote(text: string, from: number): number {
  const mark = text[from];
  for (let j = from + 1; j < text.length; j++) {
    const c = text[j];
    if (c === "\n") return -1;
    if (c === "\\" && mark === '"') j++;
    else if (c === mark) return j;
  }
  return -1;
}

function newTable(link: Link | null): Table {
  return { link, definedAt: null, children: new Map(), elements: null, keys: new Map() };
}

/**
 * Walks to the table a header names, making it as TOML would; `before` is where it was defined
 * already. `link` names the header in a message: the array itself for the `[[x]]` that opens it (a
 * first `[[x]]` is refused only when `x` is already something else), else the table.
 */
function defineTable(root: Table, segments: readonly string[], array: boolean, at: number): { table: Table; link: Link | null; before: number | null } {
  let table = root;
  segments.forEach((segment, n) => {
    let child = table.children.get(segment);
    if (child === undefined) {
      child = newTable({ up: table.link, segments: [segment] });
      if (array && n === segments.length - 1) child.elements = [];
      table.children.set(segment, child);
    }
    table = child;
    // A longer header goes into the last element of an array of tables.
    if (n < segments.length - 1 && child.elements !== null && child.elements.length > 0) table = child.elements.at(-1)!;
  });
  if (array) {
    if (table.elements === null) return { table, link: table.link, before: null };
    const element = newTable({ up: table.link, segments: [table.elements.length] });
    table.elements.push(element);
    return { table: element, link: table.elements.length === 1 ? table.link : element.link, before: null };
  }
  const before = table.elements === null ? table.definedAt : null;
  table.definedAt ??= at;
  return { table, link: table.link, before };
}

function endOfString(text: string, i: number): number {
  const quoteMark = text[i]!;
  const escapes = quoteMark === '"';
  const multiline = text.startsWith(quoteMark.repeat(3), i);
  let j = i + (multiline ? 3 : 1);
  while (j < text.length) {
    const c = text[j];
    if (escapes && c === "\\") j += 2;
    else if (!multiline && (c === quoteMark || c === "\n")) return j + 1;
    else if (multiline && text.startsWith(quoteMark.repeat(3), j)) {
      // A multi-line string may end with up to two quote marks of its own before the closing three.
      j += 3;
      while (text[j] === quoteMark && j < text.length) j++;
      return j;
    } else j++;
  }
  return j;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { b: "\b", t: "\t", n: "\n", f: "\f", r: "\r", e: "\u001b", '"': '"', "\\": "\\" };
const HEX_DIGITS: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

/**
 * A one-line basic string (`"…"`, quotes included) as TOML reads it, with TOML's own escapes
 * (`\e`, `\xHH`, `\UHHHHHHHH`, which JSON lacks) read as smol-toml reads them: two spellings of
 * one key must meet as one key. Text that is no valid string comes back raw, between its quotes.
 */
function unescape(basic: string): string {
  const raw = basic.slice(1, -1);
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== "\\") {
      out += raw[i];
      continue;
    }
    const code = raw[i + 1] ?? "";
    const simple = SIMPLE_ESCAPES[code];
    if (simple !== undefined) {
      out += simple;
      i++;
      continue;
    }
    const digits = HEX_DIGITS[code];
    const hex = digits === undefined ? "" : raw.slice(i + 2, i + 2 + digits);
    const point = /^[0-9A-Fa-f]+$/.test(hex) && hex.length === digits ? Number.parseInt(hex, 16) : -1;
    if (point < 0 || point > 0x10ffff || (point >= 0xd800 && point <= 0xdfff)) return raw;
    out += String.fromCodePoint(point);
    i += 1 + hex.length;
  }
  return out;
}

function pathOf(link: Link | null): Segment[] {
  const parts: (readonly Segment[])[] = [];
  for (let at = link; at !== null; at = at.up) parts.push(at.segments);
  return parts.reverse().flat();
}

function offsetOf(text: string, line: number, column: number): number | null {
  let start = 0;
  for (let n = 1; n < line; n++) {
    const newline = text.indexOf("\n", start);
    if (newline === -1) return null;
    start = newline + 1;
  }
  return start + column - 1;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let newline = text.indexOf("\n"); newline !== -1 && newline < offset; newline = text.indexOf("\n", newline + 1)) {
    line++;
    start = newline + 1;
  }
  return { line, column: offset - start + 1 };
}

import { UNSAFE_CHARACTERS } from "../markdown/unsafe-characters.js";

/**
 * A JSON value as text for a log, the journal or a terminal, ending in a newline: one line unless
 * `indent` is given. JSON.stringify escapes only C0
 * controls; NEL, the C1 controls (CSI among them), U+2028/2029, the bidirectional controls and the
 * rest of the project's unsafe characters stay raw, and log readers, shippers and terminals take
 * some of them for a line break or an escape sequence. Written as \uXXXX: they only occur inside
 * strings, so the line is still JSON with the same value.
 */
export function safeJson(value: unknown, indent?: number): string {
  return `${escapeUnsafe(JSON.stringify(value, null, indent))}\n`;
}

function escapeUnsafe(json: string): string {
  // A raw newline is indentation: JSON.stringify has escaped every C0 control inside strings.
  // Every UTF-16 unit of any other match: a character beyond U+FFFF is written as its surrogate pair.
  return json.replace(UNSAFE_CHARACTERS, (c) => (c === "\n" ? c : Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, "0")}`).join("")));
}

import { UNSAFE_CHARACTERS, writeOutUnsafe } from "../markdown/unsafe-characters.js";

/** One problem with something the user gave us, located by a path the user can follow. */
export interface Diagnostic {
  /** `bundle.evidence[2].kind`, `policy.repair_classes.gateway_restart.requires[1]` */
  path: string;
  /** Lowercase, the user's value in backticks, then what to do. */
  message: string;
}

export function formatDiagnostic(diagnostic: Diagnostic): string {
  return `${diagnostic.path}: ${diagnostic.message}`;
}

const MAX_ECHO = 80;
const BARE_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function formatPath(root: string, segments: ReadonlyArray<PropertyKey>): string {
  let out = root;
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (typeof segment === "string" && BARE_KEY.test(segment)) out += `.${segment}`;
    else out += `[${pathSegment(String(segment))}]`;
  }
  return out;
}

/**
 * A key that is no bare word, as `quote` treats an echoed value: short, no backtick to open a code
 * span, and the characters that forge lines or reorder text written out (`\u202e`), not blanked,
 * so that two keys that differ only by one do not read alike.
 */
function pathSegment(key: string): string {
  return writeOutUnsafe(JSON.stringify(shortened(key, MAX_ECHO))).replace(/`/g, "'");
}

/** At most `max` UTF-16 units and an ellipsis, never half of a character beyond U+FFFF. */
function shortened(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\ud800-\udbff]/.test(text[max - 1] ?? "") ? max - 1 : max;
  return `${text.slice(0, end)}…`;
}

/** The user's value as we echo it back: short, in backticks, never the whole of a large document. */
export function quote(value: unknown, maxLength: number = MAX_ECHO): string {
  if (typeof value === "string") {
    const text = shortened(value, maxLength);
    // Echoed values end up in terminals and Forgejo comments: no backticks to escape the code
    // span, no newlines or control characters to forge lines, no bidirectional controls to reorder it.
    return `\`${text.replace(/`/g, "'").replace(UNSAFE_CHARACTERS, " ")}\``;
  }
  if (value === null) return "`null`";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  if (value === undefined) return "nothing";
  return `\`${String(value)}\``;
}

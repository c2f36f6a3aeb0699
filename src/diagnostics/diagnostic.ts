import { UNSAFE_CHARACTERS } from "../markdown/unsafe-characters.js";

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

const BARE_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function formatPath(root: string, segments: ReadonlyArray<PropertyKey>): string {
  let out = root;
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (typeof segment === "string" && BARE_KEY.test(segment)) out += `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

const MAX_ECHO = 80;

/** The user's value as we echo it back: short, in backticks, never the whole of a large document. */
export function quote(value: unknown, maxLength: number = MAX_ECHO): string {
  if (typeof value === "string") {
    const text = value.length > maxLength ? `${value.slice(0, maxLength)}…` : value;
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

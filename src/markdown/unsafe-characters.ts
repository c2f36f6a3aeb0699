/**
 * Characters that can forge lines or make text display as other text wherever Patchwarden echoes
 * someone else's text (comments, terminals, messages): C0 and C1 controls, DEL, the Unicode line
 * and paragraph separators, and the bidirectional marks, embeddings, overrides and isolates
 * (U+061C, U+200E/F, U+202A–E, U+2066–9; `x\u202Edm.service` reads `xecivres.md`). One list, so a
 * sanitiser cannot miss a class another one knows.
 */
const CLASS = "[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]";

/** For `.test()`: no global flag, so no `lastIndex` state between calls. */
export const UNSAFE_CHARACTER = new RegExp(CLASS);
/** For `.replace()`, one character at a time. */
export const UNSAFE_CHARACTERS = new RegExp(CLASS, "g");
/** For `.replace()`, a run at a time. */
export const UNSAFE_RUNS = new RegExp(`${CLASS}+`, "g");

/**
 * The text with each unsafe character written out (`\x1b`, `\u202e`), for a terminal or an echoed
 * value: an escape sequence or a bidirectional control can neither hide nor reorder what is shown,
 * and the reader sees it was there (`quote` alone would blank it).
 */
export function writeOutUnsafe(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/**
 * Characters that can forge lines or make text display as other text wherever Patchwarden echoes
 * someone else's text (comments, terminals, messages, the review page): C0 and C1 controls, DEL,
 * the Unicode line and paragraph separators, the bidirectional marks, embeddings, overrides and
 * isolates (U+061C, U+200E/F, U+202A–E, U+2066–9; `x\u202Edm.service` reads `xecivres.md`), and the
 * other invisible format characters (Unicode category Cf: zero-width space and joiners, word
 * joiner, soft hyphen, byte-order mark, tags…), which make `isk\u200Bra` look like `iskra`, a
 * different host to the gate. One list, so a sanitiser cannot miss a class another one knows.
 *
 * One exception: a zero-width space right after `@` stays. It is what `breakMentions` writes to
 * keep Forgejo from notifying `@login`, after the text was sanitised; a comment body passed
 * through `writeOutUnsafe` again (`queue show`) must still read `@login`.
 */
const LINES_AND_BIDI = "\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069";
// \p{Cf} holds the bidirectional controls above too; the zero-width space is taken apart for the exception.
const ONE = `(?:[${LINES_AND_BIDI}]|(?!\\u200b)\\p{Cf}|(?<!@)\\u200b)`;

/**
 * For `.test()` on names Patchwarden records and refuses when unsafe (policy names, drift manifest
 * paths, hosts, roots and globs): the characters that forge lines or reorder text. Narrower than
 * the sets below, which also cover the invisible format characters: those are written out or
 * blanked wherever text is shown, and whether a name holding one is refused is each schema's call.
 */
export const UNSAFE_CHARACTER = new RegExp(`[${LINES_AND_BIDI}]`);
/** For `.replace()`, one character at a time (a whole code point: some format characters are beyond U+FFFF). */
export const UNSAFE_CHARACTERS = new RegExp(ONE, "gu");
/** For `.replace()`, a run at a time. */
export const UNSAFE_RUNS = new RegExp(`${ONE}+`, "gu");

/**
 * The text with each unsafe character written out (`\x1b`, `\u202e`, `\u200b`), for a terminal, an
 * echoed value or the review page: an escape sequence or a bidirectional control can neither hide
 * nor reorder what is shown, an invisible character shows, and the reader sees it was there
 * (`quote` alone would blank it).
 */
export function writeOutUnsafe(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, (c) => {
    const code = c.codePointAt(0)!;
    if (code <= 0xff) return `\\x${code.toString(16).padStart(2, "0")}`;
    return code <= 0xffff ? `\\u${code.toString(16).padStart(4, "0")}` : `\\u{${code.toString(16)}}`;
  });
}

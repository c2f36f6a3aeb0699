import { quote } from "../diagnostics/diagnostic.js";
import { UNSAFE_CHARACTER, writeOutUnsafe } from "../markdown/unsafe-characters.js";

/** PATH_MAX on Linux; a longer relative path cannot name a real file on the host. */
export const MAX_PATH_LENGTH = 4096;

// Control characters (and the Unicode line separators) in a file name would forge lines in the
// markdown plan and in terminals; real deploy trees never hold them.
export const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// Bidirectional controls make a name display as another (`x\u202Edm.service` reads
// `xecivres.md`) in the plan, a terminal or a review; no deploy tree needs them either.
export const BIDI_CONTROL = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
// UNSAFE_CHARACTER is either kind, so the common case (neither) costs one test.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `text` cannot be a link's text, or null when it can: as for paths, valid UTF-8 without control or bidirectional characters. */
export function linkTextProblem(text: string): string | null {
  if (LONE_SURROGATE.test(text)) return `${quote(text)} is not valid UTF-8 (it would be recorded as U+FFFD and compare equal to other text); no deploy tree needs such a link`;
  if (!UNSAFE_CHARACTER.test(text)) return null;
  if (CONTROL.test(text)) return `${quote(text)} holds a control character or line break; no deploy tree needs such a link`;
  return `${quote(writeOutUnsafe(text))} holds a bidirectional control character, which makes it display as other text; no deploy tree needs such a link`;
}

/**
 * Why `host` cannot be a manifest's host label, or null when it can: it is shown in every plan's
 * summary and markdown, so it holds no control character, line break or bidirectional control.
 */
export function manifestHostProblem(host: string): string | null {
  if (LONE_SURROGATE.test(host)) return `${quote(host)} is not valid UTF-8; take the manifest again with a plain label, like \`--host iskra\``;
  if (UNSAFE_CHARACTER.test(host)) return `${quote(writeOutUnsafe(host))} holds a control character, line break or bidirectional control; take the manifest again with a plain label, like \`--host iskra\``;
  return null;
}

/** Why `root` cannot be a manifest's root, or null when it can: an absolute path, as plain as a host label. */
export function manifestRootProblem(root: string): string | null {
  if (LONE_SURROGATE.test(root)) return `${quote(root)} is not valid UTF-8; scan a folder whose path is UTF-8`;
  if (UNSAFE_CHARACTER.test(root)) return `${quote(writeOutUnsafe(root))} holds a control character, line break or bidirectional control; scan a folder with a plain path`;
  if (!root.startsWith("/")) return `${quote(root)} is not an absolute path; the root is the scanned folder's absolute path, like \`/opt/iskra-openclaw\``;
  return null;
}

/**
 * Why `path` cannot be a manifest path, or null when it can. A manifest path is relative to the
 * scanned folder, `/`-separated, without empty, `.` or `..` segments, and valid UTF-8.
 */
export function manifestPathProblem(path: string): string | null {
  if (path.length === 0) return "is empty; record each file by its path relative to the scanned folder";
  if (LONE_SURROGATE.test(path)) return `${quote(path)} is not valid UTF-8; rename the file to a UTF-8 name`;
  if (UNSAFE_CHARACTER.test(path)) {
    if (CONTROL.test(path)) return `${quote(path)} holds a control character or line break; rename the file`;
    return `${quote(writeOutUnsafe(path))} holds a bidirectional control character, which makes it display as another name; rename the file`;
  }
  if (path.startsWith("/")) return `${quote(path)} is absolute; record paths relative to the scanned folder`;
  if (path.length > MAX_PATH_LENGTH) return `${quote(path)} is longer than ${MAX_PATH_LENGTH} characters; no host can hold it`;
  const segments = path.split("/");
  if (segments.includes("..")) return `${quote(path)} climbs out of the root; record paths relative to the scanned folder`;
  if (segments.includes(".")) return `${quote(path)} has a \`.\` segment; write the path without it`;
  if (segments.includes("")) return `${quote(path)} has an empty segment (\`//\` or a trailing \`/\`); write each folder once`;
  return null;
}

/**
 * The one order of manifest entries: by the UTF-8 bytes of the path, which is Unicode code-point
 * order and the order of `LC_ALL=C sort`. JavaScript's default string order compares UTF-16 code
 * units and puts a character beyond U+FFFF (a surrogate pair) before U+E000–U+FFFF; shifting the
 * two ranges at the first difference restores code-point order without encoding either string.
 */
export function comparePaths(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  // Surrogates stand for code points above U+FFFF: move them above U+E000–U+FFFF.
  return unit < 0xe000 ? unit + 0x2000 : unit - 0x800;
}

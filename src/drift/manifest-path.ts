import { quote } from "../diagnostics/diagnostic.js";

/** PATH_MAX on Linux; a longer relative path cannot name a real file on the host. */
export const MAX_PATH_LENGTH = 4096;

// Control characters (and the Unicode line separators) in a file name would forge lines in the
// markdown plan and in terminals; real deploy trees never hold them.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Whether a symlink at `path` (a manifest path) with text `target` points outside the tree: an
 * absolute target, or one whose `..` segments climb above the root from the link's folder.
 */
export function linkLeavesTree(path: string, target: string): boolean {
  if (target.startsWith("/")) return true;
  let depth = path.split("/").length - 1;
  for (const segment of target.split("/")) {
    if (segment === "..") depth--;
    else if (segment !== "" && segment !== ".") depth++;
    if (depth < 0) return true;
  }
  return false;
}

/** Why `text` cannot be a link's text, or null when it can: as for paths, valid UTF-8 without control characters. */
export function linkTextProblem(text: string): string | null {
  if (LONE_SURROGATE.test(text)) return `${quote(text)} is not valid UTF-8 (it would be recorded as U+FFFD and compare equal to other text); no deploy tree needs such a link`;
  if (CONTROL.test(text)) return `${quote(text)} holds a control character or line break; no deploy tree needs such a link`;
  return null;
}

/**
 * Why `path` cannot be a manifest path, or null when it can. A manifest path is relative to the
 * scanned folder, `/`-separated, without empty, `.` or `..` segments, and valid UTF-8.
 */
export function manifestPathProblem(path: string): string | null {
  if (path.length === 0) return "is empty; record each file by its path relative to the scanned folder";
  if (LONE_SURROGATE.test(path)) return `${quote(path)} is not valid UTF-8; rename the file to a UTF-8 name`;
  if (CONTROL.test(path)) return `${quote(path)} holds a control character or line break; rename the file`;
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

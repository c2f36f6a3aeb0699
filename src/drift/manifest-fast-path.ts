import { createHash } from "node:crypto";
import { validateWith } from "../diagnostics/zod-diagnostics.js";
import { sha256Digest, type Sha256Digest } from "../integrity/digest.js";
import { MAX_PATH_LENGTH } from "./manifest-path.js";
import { manifestHeaderSchema, type Manifest, type ManifestEntry } from "./manifest-schema.js";

// Characters a fast-path string may not hold: control characters, the line separators, the
// bidirectional controls, any surrogate (so astral characters, valid or not, take the schema's
// careful path), and the two characters JSON escapes (so the canonical JSON needs no escaping either).
const UNPLAIN_CHARACTER = /[\u0000-\u001f"\\\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]/;
const DOT_SEGMENT = /(?:^|\/)\.\.?(?:\/|$)/;
const SLASH = 0x2f;
const DOT = 0x2e;
// 1 for every UTF-16 code unit that is not a lowercase hex digit. Random hex defeats the branch
// predictor, so the regex or a comparison per character costs twice a table lookup.
const NOT_HEX = new Uint8Array(0x10000).fill(1);
for (const digit of "0123456789abcdef") NOT_HEX[digit.charCodeAt(0)] = 0;
const MODE = /^[0-7]{4}$/;
// Hash in slices: one update per entry costs more than the hashing itself on large manifests.
const SLICE = 512;

/**
 * A quick yes for the manifests every honest run of `drift manifest` writes: the header through
 * the schema, and one pass over the entries that makes every check the general path makes (the
 * schema's, the order, nothing under a file, link digests, the manifest digest), touching each
 * entry once. It says yes only when the general path would, with the same value
 * (test/drift/manifest-fast-path.test.ts holds the two together), and returns null for anything
 * else, hostile, broken or merely unusual (astral characters in a name): that takes the general
 * path, `verifyManifest`, which names every problem.
 */
export function readPlainManifest(value: unknown): Manifest | null {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  const { files, ...header } = value as Record<string, unknown>;
  const entries = verifyPlainEntries(files);
  if (entries === null) return null;
  const checked = validateWith(manifestHeaderSchema, header, "manifest");
  if (!checked.ok || checked.value.digest !== entries.digest) return null;
  return { ...checked.value, files: entries.entries };
}

function verifyPlainEntries(files: unknown): { entries: ManifestEntry[]; digest: Sha256Digest } | null {
  if (!Array.isArray(files)) return null;
  const hash = createHash("sha256");
  let canonical = "[";
  // Entries whose path is a prefix of the current one, innermost last: in sorted order all paths
  // under X follow X without a gap, so a stack finds any entry recorded under a file.
  const prefixes: string[] = [];
  let previous = "";
  for (let i = 0; i < files.length; i++) {
    const entry: unknown = files[i];
    if (!plainEntry(entry)) return null;
    const path = entry.path;
    // Plain paths hold no surrogate, so comparing UTF-16 code units is comparing code points.
    if (i > 0 && !(previous < path)) return null;
    previous = path;
    while (prefixes.length > 0 && !path.startsWith(prefixes[prefixes.length - 1]!)) prefixes.pop();
    for (const prefix of prefixes) if (path.charCodeAt(prefix.length) === SLASH) return null;
    prefixes.push(path);
    if (entry.type === "symlink") {
      if (entry.sha256 !== sha256Digest(entry.target) || entry.size !== Buffer.byteLength(entry.target)) return null;
      // canonicalEntryJson, written out: plain texts need no escaping, and passing it a quoting
      // function cost this loop a tenth of its time. The property test holds the two equal.
      canonical += `{"mode":"${entry.mode}","path":"${path}","sha256":"${entry.sha256}","size":${entry.size},"target":"${entry.target}","type":"symlink"}`;
    } else {
      canonical += `{"mode":"${entry.mode}","path":"${path}","sha256":"${entry.sha256}","size":${entry.size},"type":"file"}`;
    }
    if (i < files.length - 1) canonical += ",";
    if (i % SLICE === SLICE - 1) {
      hash.update(canonical);
      canonical = "";
    }
  }
  hash.update(`${canonical}]`);
  return { entries: files as ManifestEntry[], digest: `sha256:${hash.digest("hex")}` };
}

/** The schema's entry rules, for entries without anything unusual; false means "ask the schema". */
function plainEntry(entry: unknown): entry is ManifestEntry {
  if (entry === null || typeof entry !== "object" || Array.isArray(entry) || Object.getPrototypeOf(entry) !== Object.prototype) return false;
  const e = entry as Record<string, unknown>;
  let keys = 0;
  for (const key in e) {
    if (!Object.hasOwn(e, key)) return false;
    keys++;
  }
  const { path, type, sha256, size, mode } = e;
  if (typeof path !== "string" || !plainPath(path)) return false;
  if (typeof sha256 !== "string" || !isDigest(sha256)) return false;
  if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) return false;
  if (typeof mode !== "string" || !MODE.test(mode)) return false;
  if (type === "file") return keys === 5;
  if (type !== "symlink") return false;
  const target = e["target"];
  return keys === 6 && typeof target === "string" && target.length > 0 && target.length <= MAX_PATH_LENGTH && !UNPLAIN_CHARACTER.test(target);
}

/** `sha256:` and 64 lowercase hex digits, as the schema's pattern says. */
function isDigest(text: string): boolean {
  if (text.length !== 71 || !text.startsWith("sha256:")) return false;
  let notHex = 0;
  for (let i = 7; i < 71; i++) notHex |= NOT_HEX[text.charCodeAt(i)]!;
  return notHex === 0;
}

/**
 * Relative, `/`-separated, no empty, `.` or `..` segment: cheap tests first, and the regex only
 * for a path with a segment that starts with a dot (most paths have a dot only in extensions).
 */
function plainPath(path: string): boolean {
  if (path.length === 0 || path.length > MAX_PATH_LENGTH || path.charCodeAt(0) === SLASH || path.charCodeAt(path.length - 1) === SLASH) return false;
  if (path.includes("//") || UNPLAIN_CHARACTER.test(path)) return false;
  return (path.charCodeAt(0) !== DOT && !path.includes("/.")) || !DOT_SEGMENT.test(path);
}

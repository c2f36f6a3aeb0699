import { createHash } from "node:crypto";
import { validateWith } from "../diagnostics/zod-diagnostics.js";
import { parseDocument } from "../document/parse-document.js";
import { sha256Digest, type Sha256Digest } from "../integrity/digest.js";
import { MAX_PATH_LENGTH } from "./manifest-path.js";
import { MAX_MANIFEST_BYTES, manifestHeaderSchema, type Manifest, type ManifestEntry } from "./manifest-schema.js";

// The bytes `serializeManifest` writes around and inside each entry line.
const ascii = (text: string): Buffer => Buffer.from(text, "latin1");
const FILES_OPEN = ascii(',\n  "files": [\n');
const FILES_CLOSE = ascii("\n  ]\n}\n");
const HEADER_CLOSE = ascii("\n}");
const LINE_OPEN = ascii('    {"path": "');
const FILE_DIGEST = ascii('", "type": "file", "sha256": "');
const LINK_TARGET = ascii('", "type": "symlink", "target": "');
const LINK_DIGEST = ascii('", "sha256": "');
const DIGEST_PREFIX = ascii("sha256:");
const SIZE = ascii('", "size": ');
const MODE = ascii(', "mode": "');
const LINE_CLOSE = ascii('"}');
const NEXT_LINE = ascii(",\n");

const QUOTE = 0x22;
const SLASH = 0x2f;
const DOT = 0x2e;
const ZERO = 0x30;
// 1 for every byte that may stand in a plain name: printable ASCII but the two characters JSON
// escapes. Anything else (controls, any non-ASCII byte) sends the manifest to the parsing path.
const PLAIN = new Uint8Array(256);
for (let byte = 0x20; byte < 0x7f; byte++) PLAIN[byte] = byte === QUOTE || byte === 0x5c ? 0 : 1;
const HEX = new Uint8Array(256);
for (const digit of "0123456789abcdef") HEX[digit.charCodeAt(0)] = 1;
const MAX_SIZE_DIGITS = String(Number.MAX_SAFE_INTEGER).length;
// The canonical JSON is hashed in slices of this many entries: one update per entry costs more than the hashing.
const SLICE = 512;

/**
 * A quick yes for a manifest file exactly as `drift manifest` writes it, read from its bytes
 * without building a JSON tree: the header goes through `parseDocument` and the schema, and one
 * pass over the entry lines makes every check the parsing path makes (each field, the order,
 * nothing under a file, link digests, the manifest digest). It accepts only entries whose names
 * are printable ASCII, and returns null for anything else, unusual or wrong; the caller then parses
 * the file, and the parsing path names every problem. A property test holds the two to the same
 * answer (test/drift/written-manifest.test.ts).
 *
 * Why it is sound: the header is the file up to `,\n  "files": [` closed with `}`. If that parses
 * as an object, the cut falls after a complete member of the top-level object, outside any string,
 * so the file is that object plus one last member, `files`, holding exactly the scanned lines.
 */
export function readWrittenManifest(bytes: Uint8Array, name: string): Manifest | null {
  // parseDocument reads a `.yaml` name as YAML, under other limits, and a file not opening with `{` may be YAML.
  if (bytes.byteLength > MAX_MANIFEST_BYTES || bytes[0] !== 0x7b || /\.ya?ml$/i.test(name)) return null;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const open = buffer.indexOf(FILES_OPEN);
  const close = buffer.byteLength - FILES_CLOSE.length;
  if (open < 0 || close <= open + FILES_OPEN.length || !matches(buffer, close, FILES_CLOSE, buffer.length)) return null;
  const entries = scanEntries(buffer, open + FILES_OPEN.length, close);
  if (entries === null) return null;
  const header = parseDocument(Buffer.concat([buffer.subarray(0, open), HEADER_CLOSE]), { root: "manifest", name: "manifest.json", maxBytes: MAX_MANIFEST_BYTES });
  if (!header.ok) return null;
  const checked = validateWith(manifestHeaderSchema, header.value, "manifest");
  if (!checked.ok || checked.value.digest !== entries.digest) return null;
  return { ...checked.value, files: entries.files };
}

function scanEntries(bytes: Buffer, start: number, end: number): { files: ManifestEntry[]; digest: Sha256Digest } | null {
  const files: ManifestEntry[] = [];
  const hash = createHash("sha256");
  let canonical = "[";
  // Lengths of the earlier paths that are prefixes of the previous one, shortest first: in sorted
  // order every path under X follows X without a gap, so this stack finds any entry under a file.
  const prefixLengths: number[] = [];
  let previousStart = -1;
  let previousEnd = -1;
  let pos = start;
  for (;;) {
    if (!matches(bytes, pos, LINE_OPEN, end)) return null;
    const pathStart = pos + LINE_OPEN.length;
    // The bytes this path shares with the previous one: found before its end is known, since a
    // plain path never holds the quote that ends this one.
    const previousLength = previousEnd - previousStart;
    let common = 0;
    if (previousStart >= 0) while (common < previousLength && bytes[pathStart + common] === bytes[previousStart + common]) common++;
    // Whole segments of the shared part were checked as the previous path's; check from the last one on.
    let checkFrom = pathStart + common;
    while (checkFrom > pathStart && bytes[checkFrom - 1] !== SLASH) checkFrom--;
    const pathEnd = scanPath(bytes, pathStart, checkFrom, end);
    if (pathEnd < 0) return null;
    const pathLength = pathEnd - pathStart;
    if (previousStart >= 0) {
      // Strictly ascending: the previous path is a proper prefix, or its first differing byte is smaller.
      if (common === pathLength || (common < previousLength && bytes[previousStart + common]! > bytes[pathStart + common]!)) return null;
      // Prefixes of the previous path longer than the shared part are not prefixes of this one.
      while (prefixLengths.length > 0 && prefixLengths[prefixLengths.length - 1]! > common) prefixLengths.pop();
    }
    for (let i = 0; i < prefixLengths.length; i++) if (bytes[pathStart + prefixLengths[i]!] === SLASH) return null;
    prefixLengths.push(pathLength);
    previousStart = pathStart;
    previousEnd = pathEnd;

    let targetStart = -1;
    let targetEnd = -1;
    if (matches(bytes, pathEnd, FILE_DIGEST, end)) {
      pos = pathEnd + FILE_DIGEST.length;
    } else if (matches(bytes, pathEnd, LINK_TARGET, end)) {
      targetStart = pathEnd + LINK_TARGET.length;
      targetEnd = scanText(bytes, targetStart, end);
      if (targetEnd < 0 || !matches(bytes, targetEnd, LINK_DIGEST, end)) return null;
      pos = targetEnd + LINK_DIGEST.length;
    } else {
      return null;
    }
    const digestStart = pos;
    if (!matches(bytes, pos, DIGEST_PREFIX, end)) return null;
    pos += DIGEST_PREFIX.length;
    if (pos + 64 > end) return null;
    // Summed over the 64 digits: random hex defeats the branch predictor, so a test per digit costs twice this.
    let notHex = 0;
    for (let i = pos; i < pos + 64; i++) notHex |= HEX[bytes[i]!]! ^ 1;
    if (notHex !== 0) return null;
    pos += 64;
    const digestEnd = pos;
    if (!matches(bytes, pos, SIZE, end)) return null;
    pos += SIZE.length;
    const sizeStart = pos;
    let size = 0;
    while (pos < end && bytes[pos]! >= ZERO && bytes[pos]! <= 0x39) size = size * 10 + (bytes[pos++]! - ZERO);
    const digits = pos - sizeStart;
    // JSON allows no leading zero; longer than MAX_SAFE_INTEGER's digits could round.
    if (digits === 0 || digits > MAX_SIZE_DIGITS || (digits > 1 && bytes[sizeStart] === ZERO) || size > Number.MAX_SAFE_INTEGER) return null;
    if (!matches(bytes, pos, MODE, end)) return null;
    pos += MODE.length;
    const modeStart = pos;
    if (pos + 4 > end) return null;
    for (let i = pos; i < pos + 4; i++) if (!(bytes[i]! >= ZERO && bytes[i]! <= 0x37)) return null;
    pos += 4;
    if (!matches(bytes, pos, LINE_CLOSE, end)) return null;
    pos += LINE_CLOSE.length;

    const path = bytes.toString("latin1", pathStart, pathEnd);
    const sha256 = bytes.toString("latin1", digestStart, digestEnd) as Sha256Digest;
    const mode = modeText(bytes, modeStart);
    // Plain fields need no escaping, so each entry's canonical JSON is written out (keys sorted,
    // as `canonicalEntryJson` writes them), and hashed a slice of entries at a time.
    if (targetStart < 0) {
      files.push({ path, type: "file", sha256, size, mode });
      canonical += `{"mode":"${mode}","path":"${path}","sha256":"${sha256}","size":${size},"type":"file"}`;
    } else {
      const target = bytes.toString("latin1", targetStart, targetEnd);
      // Plain link text is ASCII, so its length in characters is its length in bytes.
      if (sha256 !== sha256Digest(target) || size !== target.length) return null;
      files.push({ path, type: "symlink", target, sha256, size, mode });
      canonical += `{"mode":"${mode}","path":"${path}","sha256":"${sha256}","size":${size},"target":"${target}","type":"symlink"}`;
    }
    if (files.length % SLICE === 0) {
      hash.update(canonical, "latin1");
      canonical = "";
    }

    if (pos === end) break;
    if (!matches(bytes, pos, NEXT_LINE, end)) return null;
    pos += NEXT_LINE.length;
    canonical += ",";
  }
  hash.update(`${canonical}]`, "latin1");
  return { files, digest: `sha256:${hash.digest("hex")}` };
}

/**
 * A plain path from `start` to its closing quote: printable ASCII, 1 to MAX_PATH_LENGTH bytes, no
 * empty, `.` or `..` segment (so no leading, trailing or doubled slash). Bytes before `from`, a
 * segment's start, are known good. The quote's offset, or -1.
 */
function scanPath(bytes: Uint8Array, start: number, from: number, end: number): number {
  let segmentStart = from;
  let pos = from;
  for (; pos < end; pos++) {
    const byte = bytes[pos]!;
    if (byte === QUOTE || byte === SLASH) {
      const length = pos - segmentStart;
      if (length === 0 || (bytes[segmentStart] === DOT && (length === 1 || (length === 2 && bytes[segmentStart + 1] === DOT)))) return -1;
      if (byte === QUOTE) break;
      segmentStart = pos + 1;
    } else if (PLAIN[byte] === 0) {
      return -1;
    }
  }
  return pos < end && pos - start <= MAX_PATH_LENGTH ? pos : -1;
}

/** Plain link text from `at` to its closing quote, 1 to MAX_PATH_LENGTH bytes. The quote's offset, or -1. */
function scanText(bytes: Uint8Array, at: number, end: number): number {
  let pos = at;
  while (pos < end && PLAIN[bytes[pos]!] === 1) pos++;
  return pos < end && bytes[pos] === QUOTE && pos > at && pos - at <= MAX_PATH_LENGTH ? pos : -1;
}

// `.length`, not `.byteLength`: V8 inlines the one and not the other, four times the cost here.
function matches(bytes: Uint8Array, at: number, literal: Uint8Array, end: number): boolean {
  const length = literal.length;
  if (at + length > end) return false;
  for (let i = 0; i < length; i++) if (bytes[at + i] !== literal[i]) return false;
  return true;
}

// A tree has a handful of modes; one string each instead of one per entry.
const modes = new Map<number, string>();
function modeText(bytes: Buffer, at: number): string {
  const key = bytes.readUInt32BE(at);
  let mode = modes.get(key);
  if (mode === undefined) {
    mode = bytes.toString("latin1", at, at + 4);
    modes.set(key, mode);
  }
  return mode;
}

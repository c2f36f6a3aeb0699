import { quote, type Diagnostic } from "../diagnostics/diagnostic.js";
import { validateWith, type Validated } from "../diagnostics/zod-diagnostics.js";
import { parseDocument } from "../document/parse-document.js";
import { sha256Digest } from "../integrity/digest.js";
import { comparePaths } from "./manifest-path.js";
import { manifestDigest } from "./manifest.js";
import { readPlainManifest } from "./manifest-fast-path.js";
import { MAX_MANIFEST_BYTES, manifestSchema, type Manifest } from "./manifest-schema.js";
import { readWrittenManifest } from "./written-manifest.js";

/** A hostile manifest can hold a problem on every line; past this many, more lines help nobody. */
const MAX_DIAGNOSTICS = 50;

/**
 * Manifest bytes → a validated manifest, or every problem found, each `manifest.files[3].path: …`.
 * Pure: the caller reads the file. Beyond the schema, a manifest must be canonical (sorted, each
 * path once, nothing recorded under a path that is itself a file), each link's digest must be the
 * digest of its text, and the recorded digest must be the digest of the entries.
 */
export function readManifest(bytes: Uint8Array, name: string): Validated<Manifest> {
  // A manifest as `drift manifest` writes it is read from its bytes; any other file is parsed.
  const written = readWrittenManifest(bytes, name);
  return written !== null ? { ok: true, value: written } : parseManifest(bytes, name);
}

/** `readManifest` through `parseDocument`: the path for every file but an unedited `drift manifest` output. */
export function parseManifest(bytes: Uint8Array, name: string): Validated<Manifest> {
  const parsed = parseDocument(bytes, { root: "manifest", name, maxBytes: MAX_MANIFEST_BYTES });
  if (!parsed.ok) return { ok: false, diagnostics: parsed.diagnostics };
  const plain = readPlainManifest(parsed.value);
  return plain !== null ? { ok: true, value: plain } : verifyManifest(parsed.value);
}

/** The general path for a parsed manifest: the schema, then order, nesting, link and manifest digests, naming each problem. */
export function verifyManifest(value: unknown): Validated<Manifest> {
  const validated = validateWith(manifestSchema, value, "manifest");
  if (!validated.ok) return { ok: false, diagnostics: capped(validated.diagnostics) };
  const manifest = validated.value;
  const diagnostics = [...structureProblems(manifest)];
  if (diagnostics.length === 0) {
    const recomputed = manifestDigest(manifest.files);
    if (recomputed !== manifest.digest) {
      diagnostics.push({
        path: "manifest.digest",
        message: `${quote(manifest.digest)} is not the digest of the files listed (they hash to ${quote(recomputed)}); the manifest was edited after it was written, so take it again with \`patchwarden drift manifest\``,
      });
    }
  }
  return diagnostics.length > 0 ? { ok: false, diagnostics: capped(diagnostics) } : { ok: true, value: manifest };
}

function* structureProblems(manifest: Manifest): Generator<Diagnostic> {
  const files = manifest.files;
  let sorted = true;
  for (let i = 1; i < files.length && sorted; i++) sorted = comparePaths(files[i - 1]!.path, files[i]!.path) < 0;
  if (!sorted) {
    // Strictly ascending means no repeats; only a disordered manifest needs the search for them.
    const firstIndex = new Map<string, number>();
    let unsortedReported = false;
    for (let i = 0; i < files.length; i++) {
      const path = files[i]!.path;
      const seen = firstIndex.get(path);
      if (seen !== undefined) {
        yield { path: `manifest.files[${i}].path`, message: `${quote(path)} is listed twice (first at files[${seen}]); a path names one file, so take the manifest again` };
        continue;
      }
      firstIndex.set(path, i);
      if (!unsortedReported && i > 0 && comparePaths(files[i - 1]!.path, path) > 0) {
        unsortedReported = true;
        yield { path: `manifest.files[${i}].path`, message: `${quote(path)} comes after ${quote(files[i - 1]!.path)}; entries are sorted by the UTF-8 bytes of their paths, so take the manifest again instead of editing it` };
      }
    }
  }
  for (let i = 0; i < files.length; i++) {
    const entry = files[i]!;
    if (entry.type === "symlink") {
      const expected = sha256Digest(entry.target);
      if (entry.sha256 !== expected) yield { path: `manifest.files[${i}].sha256`, message: `${quote(entry.sha256)} is not the digest of the link's text ${quote(entry.target)} (${quote(expected)}); take the manifest again` };
      const length = Buffer.byteLength(entry.target);
      if (entry.size !== length) yield { path: `manifest.files[${i}].size`, message: `\`${entry.size}\` is not the length of the link's text (${length} bytes); take the manifest again` };
    }
  }
  if (sorted) yield* pathsUnderFiles(files);
}

/**
 * A path under another entry means that entry is a folder, yet it is recorded as a file or link.
 * In sorted order every path that starts with X follows X without a gap, so a stack of the
 * entries that are prefixes of the current path finds each case in one pass, without an index.
 */
function* pathsUnderFiles(files: Manifest["files"]): Generator<Diagnostic> {
  const prefixes: number[] = [];
  for (let i = 0; i < files.length; i++) {
    const path = files[i]!.path;
    while (prefixes.length > 0 && !path.startsWith(files[prefixes[prefixes.length - 1]!]!.path)) prefixes.pop();
    for (const parent of prefixes) {
      const above = files[parent]!;
      if (path.charCodeAt(above.path.length) === 0x2f) {
        yield { path: `manifest.files[${i}].path`, message: `${quote(path)} lies under ${quote(above.path)}, which files[${parent}] records as a ${above.type}; one of them is wrong, so take the manifest again` };
        break;
      }
    }
    prefixes.push(i);
  }
}

function capped(diagnostics: Diagnostic[]): Diagnostic[] {
  if (diagnostics.length <= MAX_DIAGNOSTICS) return diagnostics;
  return [...diagnostics.slice(0, MAX_DIAGNOSTICS), { path: "manifest", message: `and ${diagnostics.length - MAX_DIAGNOSTICS} more problems; fix these first` }];
}

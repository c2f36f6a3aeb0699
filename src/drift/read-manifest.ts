import { quote, type Diagnostic } from "../diagnostics/diagnostic.js";
import { validateWith, type Validated } from "../diagnostics/zod-diagnostics.js";
import { parseDocument } from "../document/parse-document.js";
import { sha256Digest } from "../integrity/digest.js";
import { comparePaths } from "./manifest-path.js";
import { manifestDigest } from "./manifest.js";
import { MAX_MANIFEST_BYTES, manifestSchema, type Manifest } from "./manifest-schema.js";

/** A hostile manifest can hold a problem on every line; past this many, more lines help nobody. */
const MAX_DIAGNOSTICS = 50;

/**
 * Manifest bytes → a validated manifest, or every problem found, each `manifest.files[3].path: …`.
 * Pure: the caller reads the file. Beyond the schema, a manifest must be canonical (sorted, each
 * path once, nothing recorded under a path that is itself a file), each link's digest must be the
 * digest of its text, and the recorded digest must be the digest of the entries.
 */
export function readManifest(bytes: Uint8Array, name: string): Validated<Manifest> {
  const parsed = parseDocument(bytes, { root: "manifest", name, maxBytes: MAX_MANIFEST_BYTES });
  if (!parsed.ok) return { ok: false, diagnostics: parsed.diagnostics };
  const validated = validateWith(manifestSchema, parsed.value, "manifest");
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
  const firstIndex = new Map<string, number>();
  let unsortedReported = false;
  for (let i = 0; i < files.length; i++) {
    const entry = files[i]!;
    const path = entry.path;
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
    if (entry.type === "symlink") {
      const expected = sha256Digest(entry.target);
      if (entry.sha256 !== expected) yield { path: `manifest.files[${i}].sha256`, message: `${quote(entry.sha256)} is not the digest of the link's text ${quote(entry.target)} (${quote(expected)}); take the manifest again` };
      const length = Buffer.byteLength(entry.target);
      if (entry.size !== length) yield { path: `manifest.files[${i}].size`, message: `\`${entry.size}\` is not the length of the link's text (${length} bytes); take the manifest again` };
    }
  }
  // A path under another entry means that entry is a folder, yet it is recorded as a file or link.
  for (let i = 0; i < files.length; i++) {
    const path = files[i]!.path;
    for (let slash = path.indexOf("/"); slash !== -1; slash = path.indexOf("/", slash + 1)) {
      const parent = firstIndex.get(path.slice(0, slash));
      if (parent !== undefined) {
        yield { path: `manifest.files[${i}].path`, message: `${quote(path)} lies under ${quote(files[parent]!.path)}, which files[${parent}] records as a ${files[parent]!.type}; one of them is wrong, so take the manifest again` };
        break;
      }
    }
  }
}

function capped(diagnostics: Diagnostic[]): Diagnostic[] {
  if (diagnostics.length <= MAX_DIAGNOSTICS) return diagnostics;
  return [...diagnostics.slice(0, MAX_DIAGNOSTICS), { path: "manifest", message: `and ${diagnostics.length - MAX_DIAGNOSTICS} more problems; fix these first` }];
}

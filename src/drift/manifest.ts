import { createHash } from "node:crypto";
import type { Sha256Digest } from "../integrity/digest.js";
import { comparePaths } from "./manifest-path.js";
import { MANIFEST_SCHEMA_ID, type Manifest, type ManifestEntry } from "./manifest-schema.js";

export interface ManifestMeta {
  generatedAt: string;
  host: string;
  root: string;
  ignore: readonly string[];
  generator: { name: string; version: string };
}

/** Entries (in any order) and where they came from → the canonical manifest. Pure. */
export function buildManifest(entries: readonly ManifestEntry[], meta: ManifestMeta): Manifest {
  const files = [...entries].sort((a, b) => comparePaths(a.path, b.path));
  return {
    schema: MANIFEST_SCHEMA_ID,
    generated_at: meta.generatedAt,
    host: meta.host,
    root: meta.root,
    ignore: [...meta.ignore],
    generator: { ...meta.generator },
    digest: manifestDigest(files),
    files,
  };
}

// Hash in slices: one update per entry costs more than the hashing itself on large manifests.
const SLICE = 512;

/**
 * sha256 of the canonical JSON (`canonicalJson` from src/integrity) of the sorted entries: the
 * files only, so the same tree always gives the same digest whenever and wherever it is scanned.
 * `jq -jcS .files manifest.json | sha256sum` prints the same hex. The entries are written out
 * directly, keys in sorted order, because a 100,000-entry manifest would spend most of its time
 * in the generic serializer; a test holds the two to identical output.
 */
export function manifestDigest(sortedEntries: readonly ManifestEntry[]): Sha256Digest {
  const hash = createHash("sha256");
  let chunk = "[";
  for (let i = 0; i < sortedEntries.length; i++) {
    if (i > 0) chunk += ",";
    chunk += canonicalEntryJson(sortedEntries[i]!);
    if (i % SLICE === SLICE - 1) {
      hash.update(chunk);
      chunk = "";
    }
  }
  hash.update(`${chunk}]`);
  return `sha256:${hash.digest("hex")}`;
}

/**
 * One entry as canonical JSON: keys sorted by code unit (mode, path, sha256, size, target, type),
 * no whitespace. For entries that passed the schema: mode, digest and type hold no character JSON
 * escapes, so only the path and link text may need JSON.stringify.
 */
export function canonicalEntryJson(entry: ManifestEntry): string {
  const target = entry.type === "symlink" ? `,"target":${jsonString(entry.target)}` : "";
  return `{"mode":"${entry.mode}","path":${jsonString(entry.path)},"sha256":"${entry.sha256}","size":${entry.size}${target},"type":"${entry.type}"}`;
}

// What JSON.stringify would escape (quotes, backslashes, control characters, lone surrogates).
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function jsonString(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/**
 * The manifest as a file: the header readable, then one entry per line, so two manifests can be
 * compared with `diff` and a 100,000-file manifest stays a fraction of its pretty-printed size.
 */
export function serializeManifest(manifest: Manifest): string {
  const { files, ...header } = manifest;
  const head = JSON.stringify(header, null, 2).slice(0, -2);
  if (files.length === 0) return `${head},\n  "files": []\n}\n`;
  const lines = files.map((entry) => `    ${entryLine(entry)}`);
  return `${head},\n  "files": [\n${lines.join(",\n")}\n  ]\n}\n`;
}

function entryLine(entry: ManifestEntry): string {
  const target = entry.type === "symlink" ? `, "target": ${JSON.stringify(entry.target)}` : "";
  return `{"path": ${JSON.stringify(entry.path)}, "type": "${entry.type}"${target}, "sha256": "${entry.sha256}", "size": ${entry.size}, "mode": "${entry.mode}"}`;
}

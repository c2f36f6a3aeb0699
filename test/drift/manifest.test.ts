import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildManifest, canonicalEntryJson, manifestDigest, serializeManifest } from "../../src/drift/manifest.js";
import { comparePaths } from "../../src/drift/manifest-path.js";
import { MAX_MANIFEST_BYTES, type ManifestEntry } from "../../src/drift/manifest-schema.js";
import { readManifest } from "../../src/drift/read-manifest.js";
import { canonicalJson } from "../../src/integrity/canonical-json.js";
import { sha256Digest } from "../../src/integrity/digest.js";

const META = { generatedAt: "2026-11-21T11:40:00.000Z", host: "workstation", root: "/srv/tree", ignore: [], generator: { name: "patchwarden", version: "0.1.0" } };
const hex = fc.stringMatching(/^[0-9a-f]{64}$/);
const mode = fc.stringMatching(/^[0-7]{4}$/);
// Control and bidirectional characters are refused in paths and link texts (manifest-path.ts).
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const segment = fc.string({ unit: "binary", minLength: 1, maxLength: 8 }).filter((s) => !UNSAFE.test(s) && !s.includes("/") && s !== "." && s !== "..");
const path = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join("/"));

const entryArb: fc.Arbitrary<ManifestEntry> = fc.oneof(
  fc.record({ path, sha256: hex, size: fc.nat(), mode }).map(({ path, sha256, size, mode }): ManifestEntry => ({ path, type: "file", sha256: `sha256:${sha256}`, size, mode })),
  fc.record({ path, target: fc.string({ minLength: 1, maxLength: 20 }).filter((t) => !UNSAFE.test(t)) }).map(
    ({ path, target }): ManifestEntry => ({ path, type: "symlink", target, sha256: sha256Digest(target), size: Buffer.byteLength(target), mode: "0777" }),
  ),
);
/** Paths unique, and none under another (a file cannot also be a folder). */
const treeArb = fc.uniqueArray(entryArb, { selector: (e) => e.path, maxLength: 30 }).map((entries) => entries.filter((e) => !entries.some((other) => e.path.startsWith(`${other.path}/`))));

describe("manifest digest", () => {
  it("is sha256 of canonicalJson over the sorted entries, computed without the generic serializer", () => {
    fc.assert(
      fc.property(treeArb, (entries) => {
        const sorted = [...entries].sort((a, b) => comparePaths(a.path, b.path));
        return manifestDigest(sorted) === sha256Digest(canonicalJson(sorted)) && sorted.every((e) => canonicalEntryJson(e) === canonicalJson(e));
      }),
      { numRuns: 300 },
    );
  });

  it("covers the files only: the same tree scanned elsewhere, later, skipping other globs or in another order has the same digest", () => {
    fc.assert(
      fc.property(treeArb, fc.nat(), (entries, seed) => {
        const shuffled = [...entries].sort((a, b) => ((a.path.length * 31 + seed) % 7) - ((b.path.length * 31 + seed) % 7));
        const here = buildManifest(entries, META);
        // A plan relies on this: two manifests differ in their entries exactly when their digests differ.
        const there = buildManifest(shuffled, { host: "iskra", root: "/opt/elsewhere", generatedAt: "2027-01-01T00:00:00Z", ignore: ["**/*.log", ".git"], generator: { name: "patchwarden", version: "9.9.9" } });
        return here.digest === there.digest && JSON.stringify(here.files) === JSON.stringify(there.files);
      }),
      { numRuns: 200 },
    );
  });

  it("changes when any recorded fact of any file changes", () => {
    const entries: ManifestEntry[] = [
      { path: "a.txt", type: "file", sha256: sha256Digest("a"), size: 1, mode: "0644" },
      { path: "b", type: "symlink", target: "a.txt", sha256: sha256Digest("a.txt"), size: 5, mode: "0777" },
    ];
    const base = buildManifest(entries, META).digest;
    const variants: ManifestEntry[][] = [
      [{ ...entries[0]!, mode: "0755" }, entries[1]!],
      [{ ...entries[0]!, size: 2 }, entries[1]!],
      [{ ...entries[0]!, sha256: sha256Digest("b") }, entries[1]!],
      [{ ...entries[0]!, path: "a.md" }, entries[1]!],
      [entries[0]!, { path: "b", type: "symlink", target: "a.tx", sha256: sha256Digest("a.tx"), size: 4, mode: "0777" }],
      [entries[0]!],
    ];
    const digests = variants.map((files) => buildManifest(files, META).digest);
    expect(new Set([base, ...digests]).size).toBe(variants.length + 1);
  });

  it("of an empty tree is the digest of `[]`", () => {
    expect(buildManifest([], META).digest).toBe(sha256Digest("[]"));
  });
});

describe("manifest files", () => {
  it("read back to the same manifest, with one entry per line", () => {
    fc.assert(
      fc.property(treeArb, (entries) => {
        const manifest = buildManifest(entries, META);
        const text = serializeManifest(manifest);
        const read = readManifest(Buffer.from(text), "m.json");
        if (!read.ok) throw new Error(JSON.stringify(read.diagnostics));
        expect(read.value).toEqual(manifest);
        expect(text.split("\n").filter((line) => line.trimStart().startsWith('{"path"'))).toHaveLength(entries.length);
      }),
      { numRuns: 200 },
    );
  });

  it("of 100,000 files with 100-character paths fit the size limit with room to spare", () => {
    const entries: ManifestEntry[] = Array.from({ length: 100_000 }, (_, i) => ({
      path: `srv/openclaw/plugins/channel-${String(i % 97).padStart(3, "0")}/lib/${String(i).padStart(6, "0")}-${"x".repeat(52)}.mjs`,
      type: "file",
      sha256: sha256Digest(String(i)),
      size: i * 7,
      mode: "0644",
    }));
    expect(entries[0]!.path.length).toBe(100);
    const bytes = Buffer.byteLength(serializeManifest(buildManifest(entries, META)));
    expect(bytes).toBeLessThan(MAX_MANIFEST_BYTES * 0.75);
    expect(bytes).toBeGreaterThan(MAX_MANIFEST_BYTES * 0.4);
  });
});

import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../src/diagnostics/diagnostic.js";
import { buildManifest, manifestDigest, serializeManifest } from "../../src/drift/manifest.js";
import type { ManifestEntry } from "../../src/drift/manifest-schema.js";
import { readManifest } from "../../src/drift/read-manifest.js";
import { sha256Digest } from "../../src/integrity/digest.js";

const META = { generatedAt: "2026-11-21T11:40:00.000Z", host: "iskra", root: "/opt/iskra-openclaw", ignore: [], generator: { name: "patchwarden", version: "0.1.0" } };
const EMPTY = buildManifest([], META);
const file = (path: string, content = path): ManifestEntry => ({ path, type: "file", sha256: sha256Digest(content), size: Buffer.byteLength(content), mode: "0644" });
const link = (path: string, target: string) => ({ path, type: "symlink", target, sha256: sha256Digest(target), size: Buffer.byteLength(target), mode: "0777" });

/** The entries as given, pretty-printed (so not the bytes `drift manifest` writes), with a digest that matches them. */
function read(files: unknown[], edit: (doc: Record<string, unknown>) => void = () => {}) {
  const doc: Record<string, unknown> = { ...EMPTY, files, digest: manifestDigest(files as ManifestEntry[]) };
  edit(doc);
  return readManifest(Buffer.from(JSON.stringify(doc, null, 2)), "remote.json");
}
function problems(files: unknown[], edit?: (doc: Record<string, unknown>) => void): string[] {
  const result = read(files, edit);
  if (result.ok) throw new Error("expected the manifest to be refused");
  return result.diagnostics.map(formatDiagnostic);
}

describe("a parsed manifest is refused, with the same problem on the quick and the careful path", () => {
  it("a negative size", () => {
    expect(problems([{ ...file("a"), size: -1 }])).toEqual(["manifest.files[0].size: must be at least 0, got `-1`"]);
  });

  it("an extra key in a symlink entry", () => {
    expect(problems([{ ...link("cur", "releases/7"), owner: "root" }])).toEqual(["manifest.files[0].owner: unknown key `owner`; remove it or check its spelling"]);
  });

  it("a link whose size is not its text's length, its digest being right", () => {
    expect(problems([{ ...link("cur", "releases/7"), size: 11 }])).toEqual(["manifest.files[0].size: `11` is not the length of the link's text (10 bytes); take the manifest again"]);
  });

  it("link text longer than a path can be", () => {
    expect(problems([link("cur", "t".repeat(4097))])).toEqual(["manifest.files[0].target: is longer than 4096 characters"]);
    expect(read([link("cur", "t".repeat(4096))]).ok).toBe(true);
  });

  it("a path longer than a path can be", () => {
    expect(problems([file("p".repeat(4097))])).toEqual([`manifest.files[0].path: \`${"p".repeat(80)}…\` is longer than 4096 characters; no host can hold it`]);
    expect(read([file("p".repeat(4096))]).ok).toBe(true);
  });

  it("a path with an empty segment", () => {
    expect(problems([file("a//b")])).toEqual(["manifest.files[0].path: `a//b` has an empty segment (`//` or a trailing `/`); write each folder once"]);
  });

  it("empty link text, its digest and size matching", () => {
    expect(problems([link("cur", "")])).toEqual(["manifest.files[0].target: must not be empty"]);
  });

  it("an extra key in the generator", () => {
    expect(problems([file("a")], (d) => (d.generator = { name: "x", version: "1", extra: 1 }))).toEqual(["manifest.generator.extra: unknown key `extra`; remove it or check its spelling"]);
  });

  it("a host label longer than 253 characters (253 is accepted)", () => {
    expect(problems([file("a")], (d) => (d.host = "h".repeat(254)))).toEqual(["manifest.host: is longer than 253 characters"]);
    expect(read([file("a")], (d) => (d.host = "h".repeat(253))).ok).toBe(true);
  });

  it("more than 1000 ignore globs (1000 are accepted), or one longer than 500 characters", () => {
    const globs = (n: number) => Array.from({ length: n }, (_, i) => `g${i}`);
    expect(problems([file("a")], (d) => (d.ignore = globs(1001)))).toEqual(["manifest.ignore: has more than 1000 items"]);
    expect(read([file("a")], (d) => (d.ignore = globs(1000))).ok).toBe(true);
    expect(problems([file("a")], (d) => (d.ignore = ["g".repeat(501)]))).toEqual(["manifest.ignore[0]: is longer than 500 characters"]);
  });
});

describe("how many problems a refused manifest lists", () => {
  const badModes = (n: number) => Array.from({ length: n }, (_, i) => ({ ...file(`f${String(i).padStart(2, "0")}`), mode: "9999" }));

  it("lists exactly 50 problems without a trailer", () => {
    const listed = problems(badModes(50));
    expect(listed).toHaveLength(50);
    expect(listed.at(-1)).toBe("manifest.files[49].mode: `9999` is not a file mode; write four octal digits like `0644` or `0755`");
  });

  it("lists the first 50 of 51 problems and says how many more there are", () => {
    const listed = problems(badModes(51));
    expect(listed).toHaveLength(51);
    expect(listed.at(-1)).toBe("manifest: and 1 more problems; fix these first");
  });
});

describe("the bytes `drift manifest` writes", () => {
  it("an empty manifest is written with an empty files list and read back", () => {
    const text = serializeManifest(EMPTY);
    expect(text.endsWith(`"digest": "${EMPTY.digest}",\n  "files": []\n}\n`)).toBe(true);
    expect(readManifest(Buffer.from(text), "m.json")).toEqual({ ok: true, value: EMPTY });
  });

  it("entry lines not separated by a comma are malformed JSON, not a manifest", () => {
    const text = serializeManifest(buildManifest([file("a"), file("b")], META)).replace('"},\n    {', '"} \n    {');
    const result = readManifest(Buffer.from(text), "m.json");
    expect(result.ok).toBe(false);
    expect(!result.ok && result.diagnostics.map(formatDiagnostic)).toEqual(["manifest: malformed JSON: expected ',' or ']' after array element at line 14, column 5; fix the syntax (a JSON linter shows the spot)"]);
  });
});

// Hand-built attacks on the written-manifest reader (src/drift/written-manifest.ts), from a review
// that tried to make it disagree with the parsing path: each must agree with parseManifest (or
// defer with null), and never throw.
import { describe, expect, it } from "vitest";
import { buildManifest, manifestDigest, serializeManifest } from "../../src/drift/manifest.js";
import { MAX_MANIFEST_BYTES, type Manifest, type ManifestEntry } from "../../src/drift/manifest-schema.js";
import { parseManifest } from "../../src/drift/read-manifest.js";
import { readWrittenManifest } from "../../src/drift/written-manifest.js";
import { sha256Digest } from "../../src/integrity/digest.js";

const meta = { generatedAt: "2026-11-21T11:40:00Z", host: "iskra", root: "/opt/iskra-openclaw", ignore: ["*.tmp"], generator: { name: "patchwarden", version: "0.1.0" } };
const file = (path: string, size = 1, mode = "0644"): ManifestEntry => ({ path, type: "file", sha256: sha256Digest(path), size, mode });
const link = (path: string, target: string, size = Buffer.byteLength(target)): ManifestEntry => ({ path, type: "symlink", target, sha256: sha256Digest(target), size, mode: "0777" });
const text = (m: Manifest | Record<string, unknown>) => serializeManifest(m as Manifest);
const manifest = (entries: ManifestEntry[]) => buildManifest(entries, meta);

/** null when the reader agrees with the parsing path (or defers); otherwise what differs. */
function disagreement(bytes: Uint8Array, name = "m.json"): string | null {
  let written;
  try {
    written = readWrittenManifest(bytes, name);
  } catch (error) {
    return `threw: ${String(error)}`;
  }
  if (written === null) return null;
  const parsed = parseManifest(bytes, name);
  if (!parsed.ok) return `parse refused: ${JSON.stringify(parsed.diagnostics)}`;
  const a = JSON.stringify(written);
  const b = JSON.stringify(parsed.value);
  return a === b ? null : `differs:\n${a.slice(0, 400)}\n${b.slice(0, 400)}`;
}

const redigest = (t: string): string => {
  try {
    return t.replace(/("digest": ")sha256:[0-9a-f]{64}/, `$1${manifestDigest((JSON.parse(t) as { files: ManifestEntry[] }).files)}`);
  } catch {
    return t;
  }
};
const base = manifest([file("a"), file("a!"), file("b/c", 5), link("l", "../x")]);
const T = text(base);
const one = text(manifest([file("a")]));
const long = (n: number) => "a".repeat(n);
const fill = MAX_MANIFEST_BYTES - one.length;
const padded = (() => { const b = Buffer.from(T); const u = new Uint8Array(b.length + 3); u.set(b, 3); return u.subarray(3); })();

const cases: [string, string | Uint8Array, string?][] = [
  ["header keys reordered (digest first)", T.replace(/\{\n  "schema"/, `{\n  "digest": "${base.digest}",\n  "schema"`).replace(/,\n  "digest": "sha256:[0-9a-f]{64}"(?=,\n  "files")/, "")],
  ["compact one-line header", T.replace(/^[\s\S]*?(?=,\n  "files")/, JSON.stringify((({ files, ...h }) => h)(base)).slice(0, -1))],
  ["__proto__ in generator", T.replace('"version": "0.1.0"', '"version": "0.1.0", "__proto__": {}')],
  ["__proto__: null in header", T.replace('"host": "iskra",', '"__proto__": null,\n  "host": "iskra",')],
  ["escaped `files` key in header", T.replace('"host": "iskra",', '"fil\\u0065s": [],\n  "host": "iskra",')],
  ["escaped key names in header", T.replace('"host":', '"h\\u006fst":')],
  ["non-ASCII host", T.replace('"host": "iskra"', '"host": "isk\u00e9ra"')],
  ["invalid UTF-8 in header", Buffer.concat([Buffer.from(T.slice(0, 20)), Buffer.from([0xc3, 0x28]), Buffer.from(T.slice(20))])],
  ["mid-file BOM in header", T.replace('"host": "iskra",', '"host": "iskra",\ufeff')],
  ["bidi / lone surrogate host", T.replace('"host": "iskra"', '"host": "isk\\u202e\\ud800ra"')],
  ["header with a second files marker", T.replace('"host": "iskra",', '"host": "iskra",\n  "files": [\n')],
  ["header nested 65 deep", one.replace('"host": "iskra",', `"x": ${"[".repeat(65)}${"]".repeat(65)},\n  "host": "iskra",`)],
  ["whitespace before the marker", T.replace(/("digest": "sha256:[0-9a-f]{64}")/, "$1 \t")],
  ["size 2^53-1", redigest(T.replace('"size": 5', `"size": ${2 ** 53 - 1}`))],
  ["size 2^53", redigest(T.replace('"size": 5', `"size": ${2 ** 53}`))],
  ["size 9999999999999999", redigest(T.replace('"size": 5', '"size": 9999999999999999'))],
  ["size -0", redigest(T.replace('"size": 5', '"size": -0'))],
  ["size 05", redigest(T.replace('"size": 5', '"size": 05'))],
  ["path under file with sibling between", redigest(T.replace('"path": "b/c"', '"path": "a/c"'))],
  ["link size != length", redigest(T.replace('"size": 4, "mode": "0777"', '"size": 5, "mode": "0777"'))],
  ["path 4096", text(manifest([file(long(4096))]))],
  ["path 4097", text(manifest([file(long(4097))]))],
  ["target 4096", text(manifest([link("l", long(4096))]))],
  ["target 4097", text(manifest([link("l", long(4097))]))],
  ["513 entries", text(manifest(Array.from({ length: 513 }, (_, i) => (i % 3 ? file(`f${String(i).padStart(4, "0")}`) : link(`f${String(i).padStart(4, "0")}`, `t${i}`)))))],
  ["1025 entries", text(manifest(Array.from({ length: 1025 }, (_, i) => file(`f${String(i).padStart(4, "0")}`, i))))],
  ["name .YML", T, "m.YML"],
  ["name .JSON", T, "m.JSON"],
  ["name without extension", T, "manifest"],
  ["name `.yaml ` (trailing space)", T, "m.yaml "],
  ["Uint8Array view at an offset", padded],
  ["exactly MAX_MANIFEST_BYTES", one.replace('"host": "iskra",', `"host": "iskra",${" ".repeat(fill)}`)],
  ["MAX_MANIFEST_BYTES + 1", one.replace('"host": "iskra",', `"host": "iskra",${" ".repeat(fill + 1)}`)],
];

describe("the written-manifest reader against hand-built attacks", () => {
  it.each(cases)("agrees with the parsing path: %s", (_, t, name) => {
    const bytes = typeof t === "string" ? Buffer.from(t) : t;
    expect(disagreement(bytes, name ?? "m.json")).toBeNull();
  });
  it("still answers (non-null) on the accepted edge cases, so the above reached the reader", () => {
    for (const t of [T, text(manifest([file(long(4096))])), text(manifest([link("l", long(4096))]))]) expect(readWrittenManifest(Buffer.from(t), "m")).not.toBeNull();
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildManifest } from "../../src/drift/manifest.js";
import { readPlainManifest } from "../../src/drift/manifest-fast-path.js";
import { comparePaths } from "../../src/drift/manifest-path.js";
import type { ManifestEntry } from "../../src/drift/manifest-schema.js";
import { verifyManifest } from "../../src/drift/read-manifest.js";
import { manifestDigest } from "../../src/drift/manifest.js";
import { sha256Digest } from "../../src/integrity/digest.js";

const meta = { generatedAt: "2026-11-21T11:40:00Z", host: "iskra", root: "/opt/iskra-openclaw", ignore: [], generator: { name: "patchwarden", version: "0.1.0" } };
const manifestOf = (files: unknown[], digest = manifestDigest(files as ManifestEntry[])) => ({ ...buildManifest([], meta), digest, files });

// Strings built from the characters that matter at the edges: separators, dots, controls,
// surrogates, astral characters, backslashes and quotes.
const tricky = fc.string({ unit: fc.constantFrom("a", "Z", "/", ".", "..", " ", "\\", '"', "\n", "\u0085", "\u2028", "\u202E", "\u2066", "\uD800", "\uDC00", "\u{1F680}", "é", "-"), maxLength: 12 });
// Short paths over few letters, so order, repeats and paths under files come up often.
const nested = fc.array(fc.constantFrom("a", "b", "a.b", "é"), { minLength: 1, maxLength: 3 }).map((parts) => parts.join("/"));
const value = fc.oneof(tricky, fc.constantFrom("file", "symlink", "fifo", "0644", "0755", "644", `sha256:${"a".repeat(64)}`, `sha256:${"A".repeat(64)}`, `sha256:${"a".repeat(63)}g`, `sha256:${"a".repeat(65)}`, "a".repeat(64)), fc.integer({ min: -2, max: 2 ** 54 }), fc.double(), fc.boolean(), fc.constant(null));
const link = (path: string, target: string, digest = sha256Digest(target)) => ({ path, type: "symlink", target, sha256: digest, size: Buffer.byteLength(target), mode: "0777" });
const entry = fc.oneof(
  fc.record({ path: fc.oneof(tricky, nested), type: fc.constant("file"), sha256: fc.constant(sha256Digest("x")), size: fc.nat(), mode: fc.constantFrom("0644", "4755") }),
  fc.tuple(fc.oneof(tricky, nested), tricky, fc.boolean()).map(([path, target, honest]) => link(path, target, honest ? sha256Digest(target) : sha256Digest("other"))),
  fc.dictionary(fc.constantFrom("path", "type", "sha256", "size", "mode", "target", "owner"), value),
);
const files = fc.tuple(fc.array(entry, { maxLength: 6 }), fc.boolean()).map(([list, sort]) =>
  sort ? [...list].sort((a, b) => comparePaths(String((a as { path?: unknown }).path), String((b as { path?: unknown }).path))) : list,
);

describe("the manifest fast path", () => {
  it("says yes only when the general path says yes, with the same manifest", () => {
    let yes = 0;
    fc.assert(
      fc.property(files, fc.boolean(), (list, honestDigest) => {
        const doc = honestDigest ? manifestOf(list) : manifestOf(list, sha256Digest("edited"));
        const plain = readPlainManifest(doc);
        if (plain === null) return true;
        yes++;
        const general = verifyManifest(doc);
        return general.ok && JSON.stringify(general.value) === JSON.stringify(plain);
      }),
      { numRuns: 20_000 },
    );
    // The property says nothing if the fast path never answers; the generators make it answer often.
    expect(yes).toBeGreaterThan(1_000);
  });

  it("says yes to the manifests honest runs write, so the general path is the exception", () => {
    const honest: ManifestEntry[] = [
      { path: "README.md", type: "file", sha256: sha256Digest("r"), size: 1, mode: "0644" },
      { path: ".config/systemd/user/openclaw-gateway.service", type: "file", sha256: sha256Digest("u"), size: 0, mode: "0600" },
      { path: "srv/..hidden/x...y", type: "file", sha256: sha256Digest("d"), size: 2 ** 40, mode: "4755" },
      { path: "srv/a", type: "file", sha256: sha256Digest("a"), size: 1, mode: "0644" },
      { path: "srv/a.b/c", type: "file", sha256: sha256Digest("c"), size: 1, mode: "0644" },
      { path: "current", type: "symlink", target: "../releases/7", sha256: sha256Digest("../releases/7"), size: 13, mode: "0777" },
    ];
    const manifest = buildManifest(honest, meta);
    expect(readPlainManifest(manifest)).toEqual(manifest);
    expect(verifyManifest(manifest)).toEqual({ ok: true, value: manifest });
  });

  const file = (path: string) => ({ path, type: "file", sha256: sha256Digest(path), size: 1, mode: "0644" });
  it.each([
    ["a path climbing out", [{ ...file("a/../b") }]],
    ["a path starting with a `.` segment", [{ ...file("./a") }]],
    ["a path ending in a `..` segment", [{ ...file("a/..") }]],
    ["an extra key", [{ ...file("a"), owner: "root" }]],
    ["a `__proto__` key", [JSON.parse(`{"path":"a","type":"file","sha256":"${sha256Digest("x")}","size":1,"mode":"0644","__proto__":{}}`)]],
    ["a file with link text", [{ path: "a", type: "file", target: "b", sha256: sha256Digest("x"), size: 1 }]],
    ["an astral character (valid, but for the schema to judge)", [file("\u{1F680}.md")]],
    ["a quote in a name (valid, but its canonical JSON needs escaping)", [file('say "hi".md')]],
    ["an uppercase digest", [{ ...file("a"), sha256: sha256Digest("a").toUpperCase().replace("SHA256", "sha256") }]],
    ["a digest with a letter past f", [{ ...file("a"), sha256: `${sha256Digest("a").slice(0, -1)}g` }]],
    ["entries out of order", [file("b"), file("a")]],
    ["a path listed twice", [file("a"), file("a")]],
    ["a path under a file", [file("a"), file("a/b")]],
    ["a path under a file, past a sibling", [file("a"), file("a.b"), file("a/b")]],
    ["a link whose digest is not its text's", [link("a", "b", sha256Digest("c"))]],
  ])("declines %s", (_, list) => {
    expect(readPlainManifest(manifestOf(list))).toBeNull();
  });

  it("declines a manifest whose recorded digest is not its entries'", () => {
    expect(readPlainManifest(manifestOf([file("a")], sha256Digest("edited")))).toBeNull();
  });
});

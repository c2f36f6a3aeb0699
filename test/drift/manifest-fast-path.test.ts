import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { entriesArePlain } from "../../src/drift/manifest-fast-path.js";
import { manifestEntrySchema } from "../../src/drift/manifest-schema.js";
import { sha256Digest } from "../../src/integrity/digest.js";

const schemaAccepts = (files: unknown[]) => files.every((entry) => manifestEntrySchema.safeParse(entry).success);

// Strings built from the characters that matter at the edges: separators, dots, controls,
// surrogates, astral characters, backslashes and quotes.
const tricky = fc.string({ unit: fc.constantFrom("a", "Z", "/", ".", "..", " ", "\\", '"', "\n", "\u0085", "\u2028", "\uD800", "\uDC00", "\u{1F680}", "é", "-"), maxLength: 12 });
const value = fc.oneof(tricky, fc.constantFrom("file", "symlink", "fifo", "0644", "0755", "644", `sha256:${"a".repeat(64)}`, "a".repeat(64)), fc.integer({ min: -2, max: 2 ** 54 }), fc.double(), fc.boolean(), fc.constant(null));
const entry = fc.oneof(
  fc.record({ path: tricky, type: fc.constantFrom("file"), sha256: fc.constant(sha256Digest("x")), size: fc.nat(), mode: fc.constantFrom("0644", "4755") }),
  fc.record({ path: tricky, type: fc.constantFrom("symlink"), target: tricky, sha256: fc.constant(sha256Digest("x")), size: fc.nat(), mode: fc.constant("0777") }),
  fc.dictionary(fc.constantFrom("path", "type", "sha256", "size", "mode", "target", "owner"), value),
);

describe("the manifest fast path", () => {
  it("says yes only to entries the schema accepts", () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 4 }), (files) => !entriesArePlain(files) || schemaAccepts(files)),
      { numRuns: 20_000 },
    );
  });

  it("says yes to the entries honest manifests hold, so the schema's slow path is the exception", () => {
    const honest = [
      { path: "README.md", type: "file", sha256: sha256Digest("r"), size: 1, mode: "0644" },
      { path: ".config/systemd/user/openclaw-gateway.service", type: "file", sha256: sha256Digest("u"), size: 0, mode: "0600" },
      { path: "srv/..hidden/x...y", type: "file", sha256: sha256Digest("d"), size: 2 ** 40, mode: "4755" },
      { path: "current", type: "symlink", target: "../releases/7", sha256: sha256Digest("../releases/7"), size: 13, mode: "0777" },
    ];
    expect(entriesArePlain(honest)).toBe(true);
    expect(schemaAccepts(honest)).toBe(true);
  });

  it.each([
    ["a path climbing out", { path: "a/../b", type: "file", sha256: sha256Digest("x"), size: 1, mode: "0644" }],
    ["an extra key", { path: "a", type: "file", sha256: sha256Digest("x"), size: 1, mode: "0644", owner: "root" }],
    ["a `__proto__` key", JSON.parse(`{"path":"a","type":"file","sha256":"${sha256Digest("x")}","size":1,"mode":"0644","__proto__":{}}`)],
    ["a file with link text", { path: "a", type: "file", target: "b", sha256: sha256Digest("x"), size: 1 }],
    ["an astral character (valid, but for the schema to judge)", { path: "\u{1F680}.md", type: "file", sha256: sha256Digest("x"), size: 1, mode: "0644" }],
  ])("declines %s", (_, declined) => {
    expect(entriesArePlain([declined])).toBe(false);
  });
});

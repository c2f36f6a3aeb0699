import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildManifest, manifestDigest, serializeManifest } from "../../src/drift/manifest.js";
import type { Manifest, ManifestEntry } from "../../src/drift/manifest-schema.js";
import { parseManifest, readManifest } from "../../src/drift/read-manifest.js";
import { readWrittenManifest } from "../../src/drift/written-manifest.js";
import { sha256Digest } from "../../src/integrity/digest.js";

const meta = { generatedAt: "2026-11-21T11:40:00Z", host: "iskra", root: "/opt/iskra-openclaw", ignore: ["*.tmp"], generator: { name: "patchwarden", version: "0.1.0" } };
const file = (path: string, size = 1, mode = "0644"): ManifestEntry => ({ path, type: "file", sha256: sha256Digest(path), size, mode });
const link = (path: string, target: string): ManifestEntry => ({ path, type: "symlink", target, sha256: sha256Digest(target), size: Buffer.byteLength(target), mode: "0777" });
const bytesOf = (manifest: Manifest | Record<string, unknown>) => Buffer.from(serializeManifest(manifest as Manifest));
const honest = buildManifest(
  [
    file("README.md"),
    file(".config/systemd/user/openclaw-gateway.service", 0, "0600"),
    file("srv/..hidden/x...y", 2 ** 40, "4755"),
    file("srv/a"),
    file("srv/a.b/c", Number.MAX_SAFE_INTEGER),
    file("srv/a-b"),
    link("current", "../releases/7"),
    file("with space/and ~!#$%&'()*+,;<=>?@[]^`{|}"),
  ],
  meta,
);

describe("reading a manifest from the bytes `drift manifest` writes", () => {
  it("reads an honest manifest to the value the parsing path gives", () => {
    const bytes = bytesOf(honest);
    const written = readWrittenManifest(bytes, "iskra.manifest.json");
    expect(written).toEqual(honest);
    // Key order too: plans and receipts serialize what is read.
    const parsed = parseManifest(bytes, "iskra.manifest.json");
    expect(parsed.ok && JSON.stringify(parsed.value)).toBe(JSON.stringify(written));
    expect(readManifest(bytes, "iskra.manifest.json")).toEqual({ ok: true, value: honest });
  });

  it("reads a manifest slice by slice the same as in one piece (more entries than one hashing slice)", () => {
    const entries = Array.from({ length: 1_500 }, (_, i) => (i % 97 === 0 ? link(`l/${String(i).padStart(5, "0")}`, `../t/${i}`) : file(`f/${String(i).padStart(5, "0")}.md`, i)));
    const manifest = buildManifest(entries, meta);
    expect(readWrittenManifest(bytesOf(manifest), "m.json")).toEqual(manifest);
  });

  // Each edit is redigested, so that the problem named is the only one the file has.
  const edit = (from: string, to: string) => Buffer.from(redigested(serializeManifest(honest).replace(from, to)));
  it.each([
    ["no entries (the parsing path reads it)", true, bytesOf(buildManifest([], meta))],
    ["a name that is not ASCII", true, bytesOf(buildManifest([file("caf\u00e9.md")], meta))],
    ["a name JSON escapes", true, bytesOf(buildManifest([file('say "hi".md')], meta))],
    ["a byte order mark", true, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytesOf(honest)])],
    ["Windows line endings", true, Buffer.from(serializeManifest(honest).replaceAll("\n", "\r\n"))],
    ["no newline at the end", true, Buffer.from(serializeManifest(honest).trimEnd())],
    ["a recorded digest that is not the entries'", false, Buffer.from(serializeManifest(honest).replace(honest.digest, sha256Digest("edited")))],
    ["an uppercase digest", false, edit(sha256Digest("srv/a"), sha256Digest("srv/a").toUpperCase().replace("SHA256", "sha256"))],
    ["a size with a leading zero", false, edit('"size": 1, "mode": "0644"}', '"size": 01, "mode": "0644"}')],
    ["a size written as an exponent", true, edit('"size": 1, "mode": "0644"}', '"size": 1e0, "mode": "0644"}')],
    ["a size past 2^53", false, edit(`"size": ${Number.MAX_SAFE_INTEGER}`, `"size": ${Number.MAX_SAFE_INTEGER + 1}`)],
    ["a mode that is not octal", false, edit('"mode": "0644"}', '"mode": "0648"}')],
    ["an extra key in an entry", false, edit('"mode": "0644"}', '"mode": "0644", "owner": "root"}')],
    ["a key twice in an entry", false, edit('"mode": "0644"}', '"mode": "0644", "mode": "0644"}')],
    ["a `files` key already in the header", false, edit('"digest":', '"files": [],\n  "digest":')],
    ["a `__proto__` key in the header", false, edit('"digest":', '"__proto__": {},\n  "digest":')],
    ["a header key twice", false, edit('"host": "iskra",', '"host": "iskra",\n  "host": "other",')],
    ["an unknown header key", false, edit('"host": "iskra",', '"host": "iskra",\n  "owner": "root",')],
    ["entries out of order", false, edit('"path": "srv/a"', '"path": "srv/z"')],
    ["a path under a file", false, edit('"path": "srv/a-b"', '"path": "srv/a/b"')],
    ["a path with a `..` segment", false, edit('"path": "srv/a-b"', '"path": "srv/../b"')],
    ["a path ending in a slash", false, edit('"path": "srv/a-b"', '"path": "srv/a-b/"')],
    ["a link whose text is not its digest's", false, edit('"target": "../releases/7"', '"target": "../releases/8"')],
    ["an entry after the closing bracket", false, edit("\n  ]\n}", '\n  ],\n  "more": []\n}')],
  ])("leaves %s to the parsing path (valid: %s)", (_, valid, bytes) => {
    expect(readWrittenManifest(bytes, "m.json")).toBeNull();
    // The parsing path reads every variant that is still a manifest and names the problem in every other.
    const read = readManifest(bytes, "m.json");
    expect(read.ok).toBe(valid);
    if (!read.ok) expect(read.diagnostics[0]!.path).toMatch(/^manifest/);
  });

  // Each path is checked only from the last segment it shares with the previous one; what follows
  // must still be judged whole, whatever the shared part ends with.
  it.each([
    ["a `..` segment right after a shared folder", ["a/b", "a/.."]],
    ["a `..` segment after a shared segment", ["a/x", "a/x/../y"]],
    ["a `.` segment after a shared name", ["a/b", "a/b/./c"]],
    ["a doubled slash after a shared segment", ["a/b", "a/b//c"]],
    ["a trailing slash after a shared path", ["a/b", "a/b/"]],
    ["a path the previous one extends, listed after it", ["a/bc", "a/b"]],
    ["the same path twice", ["a/b", "a/b"]],
  ])("checks what a path adds to the one before it: %s", (_, paths) => {
    const files = paths.map((path) => file(path));
    const bytes = bytesOf({ ...buildManifest([], meta), files, digest: manifestDigest(files) });
    expect(readWrittenManifest(bytes, "m.json")).toBeNull();
    expect(parseManifest(bytes, "m.json").ok).toBe(false);
  });

  it("leaves a file named .yaml to the YAML reader, whose limits differ", () => {
    expect(readWrittenManifest(bytesOf(honest), "iskra.manifest.yaml")).toBeNull();
    expect(readManifest(bytesOf(honest), "iskra.manifest.yaml")).toEqual({ ok: true, value: honest });
  });
});

// Mostly names over few letters, so order, repeats and paths under files come up often; sometimes
// the characters that matter at the edges: separators, dots, spaces, quotes, escapes, non-ASCII.
const name = fc.oneof(
  { weight: 6, arbitrary: fc.array(fc.constantFrom("a", "b", "a.b", "a-b", "~"), { minLength: 1, maxLength: 3 }).map((parts) => parts.join("/")) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom("a", ".", "..", "", " ", "\u00e9", '"', "\\"), { minLength: 1, maxLength: 3 }).map((parts) => parts.join("/")) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom("a", "/", ".", "-", " ", "\t", "\u007f", "\u2028"), maxLength: 8 }) },
);
const entry = fc.oneof(
  { weight: 4, arbitrary: fc.record({ path: name, type: fc.constant("file"), sha256: name.map((text) => sha256Digest(text)), size: fc.oneof(fc.nat(), fc.constant(2 ** 53 - 1)), mode: fc.constantFrom("0644", "4755", "0600") }) },
  { weight: 1, arbitrary: fc.tuple(name, name).map(([path, target]) => link(path, target)) },
);
const mostly = fc.constantFrom(true, true, true, false);
const manifests = fc.tuple(fc.uniqueArray(entry, { maxLength: 6, selector: (e) => e.path }), mostly, mostly).map(([list, sorted, honestDigest]) => {
  const manifest = sorted ? buildManifest(list as ManifestEntry[], meta) : { ...buildManifest([], meta), files: list as ManifestEntry[] };
  return { ...manifest, digest: honestDigest ? manifestDigest(manifest.files) : sha256Digest("edited") };
});
// Byte edits a hand, a tool or an attacker could make to a written manifest.
const snippet = fc.constantFrom('"', "\\", ",", "\n", "{", "}", "[", "]", " ", "0", "9", "a", "/", ".", "\u00e9", "\0", ', "x": 1', '"files": [],', '{"path": "a", "type": "file", "sha256": "', "\n  ]\n}\n");
const edits = fc.oneof(fc.constant([]), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 6 }), snippet, fc.constantFrom("replace", "insert", "delete", "repeat")), { minLength: 1, maxLength: 3 }));

/** The edits, then (if `redigest`) the recorded digest made the edited entries' again. */
function applyEdits(bytes: Buffer, list: readonly (readonly [number, number, string, string])[], redigest: boolean): Buffer {
  let text = bytes.toString("utf8");
  for (const [at, length, insert, kind] of list) {
    const i = text.length === 0 ? 0 : at % text.length;
    if (kind === "replace") text = text.slice(0, i) + insert + text.slice(i + length);
    else if (kind === "insert") text = text.slice(0, i) + insert + text.slice(i);
    else if (kind === "delete") text = text.slice(0, i) + text.slice(i + length + 1);
    else text = text.slice(0, i + length) + text.slice(i, i + length) + text.slice(i + length);
  }
  return Buffer.from(redigest ? redigested(text) : text);
}

/** The text with its recorded digest made its entries' again, as a careful forger would. */
function redigested(text: string): string {
  try {
    const files = (JSON.parse(text) as { files?: unknown }).files;
    return Array.isArray(files) ? text.replace(/("digest": ")sha256:[0-9a-f]{64}/, `$1${manifestDigest(files as ManifestEntry[])}`) : text;
  } catch {
    return text; // not JSON any more: nothing to redigest
  }
}

describe("the written-manifest reader against the parsing path", () => {
  it("says yes only when the parsing path says yes, with the same manifest, whatever the bytes", () => {
    let yes = 0;
    let edited = 0;
    fc.assert(
      fc.property(manifests, edits, fc.boolean(), (manifest, list, redigest) => {
        const bytes = applyEdits(bytesOf(manifest), list, redigest);
        const written = readWrittenManifest(bytes, "m.json");
        if (written === null) return true;
        yes++;
        if (list.length > 0) edited++;
        const parsed = parseManifest(bytes, "m.json");
        return parsed.ok && JSON.stringify(parsed.value) === JSON.stringify(written);
      }),
      { numRuns: 20_000 },
    );
    // The property says nothing if the reader never answers; the generators make it answer often,
    // edited files included (an edit in a name or a size can leave a valid manifest).
    expect(yes).toBeGreaterThan(1_000);
    expect(edited).toBeGreaterThan(30);
  });

  it("says yes to every honest manifest with ASCII names, so parsing is the exception", () => {
    const plainName = fc.array(fc.stringMatching(/^[a-z0-9_-][a-z0-9._-]{0,7}$/), { minLength: 1, maxLength: 4 }).map((parts) => parts.join("/")).filter((path) => !path.split("/").some((part) => part === "." || part === ".."));
    fc.assert(
      fc.property(fc.uniqueArray(plainName, { maxLength: 20 }), (paths) => {
        const files = paths.filter((path) => !paths.some((other) => path.startsWith(`${other}/`))).map((path) => file(path));
        if (files.length === 0) return true;
        const manifest = buildManifest(files, meta);
        const written = readWrittenManifest(bytesOf(manifest), "m.json");
        return written !== null && JSON.stringify(written) === JSON.stringify(manifest);
      }),
      { numRuns: 2_000 },
    );
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../src/diagnostics/diagnostic.js";
import { buildManifest, manifestDigest, serializeManifest } from "../../src/drift/manifest.js";
import { MAX_MANIFEST_BYTES, type Manifest, type ManifestEntry } from "../../src/drift/manifest-schema.js";
import { readManifest } from "../../src/drift/read-manifest.js";
import { sha256Digest } from "../../src/integrity/digest.js";
import { fixture } from "../helpers/paths.js";

const META = { generatedAt: "2026-11-21T11:40:00.000Z", host: "iskra", root: "/opt/iskra-openclaw", ignore: [], generator: { name: "patchwarden", version: "0.1.0" } };
const file = (path: string, content = path): ManifestEntry => ({ path, type: "file", sha256: sha256Digest(content), size: Buffer.byteLength(content), mode: "0644" });
const good = buildManifest([file("README.md"), file("docs/runbook.md"), { path: "current", type: "symlink", target: "releases/7", sha256: sha256Digest("releases/7"), size: 10, mode: "0777" }], META);

/** A hostile manifest: the entries as given, with a digest that matches them unless `digest` says otherwise. */
function hostile(files: unknown[], edit: (doc: Record<string, unknown>) => void = () => {}): string[] {
  const doc: Record<string, unknown> = { ...good, files, digest: manifestDigest(files as ManifestEntry[]) };
  edit(doc);
  return problems(Buffer.from(JSON.stringify(doc, null, 2)));
}

function problems(bytes: Uint8Array): string[] {
  const read = readManifest(bytes, "remote.json");
  if (read.ok) throw new Error("expected the manifest to be refused");
  return read.diagnostics.map(formatDiagnostic);
}

describe("reading a manifest", () => {
  it("accepts what drift manifest writes", () => {
    const read = readManifest(Buffer.from(serializeManifest(good)), "remote.json");
    expect(read.ok && read.value).toEqual(good);
  });

  it("accepts the shipped fixture manifests", () => {
    const read = readManifest(readFileSync(fixture("drift/manifests/workstation.manifest.json")), "workstation.manifest.json");
    expect(read.ok).toBe(true);
  });
});

describe("hostile manifests are refused with path-first diagnostics", () => {
  it("link text that is not valid UTF-8 (it would hash like U+FFFD and compare equal to it)", () => {
    const lone = { path: "current", type: "symlink", target: "\ud800", sha256: sha256Digest("\ud800"), size: 3, mode: "0777" };
    expect(hostile([lone])).toEqual([
      "manifest.files[0].target: `\ud800` is not valid UTF-8 (it would be recorded as U+FFFD and compare equal to other text); no deploy tree needs such a link",
    ]);
  });

  it("a path climbing out of the root", () => {
    expect(hostile([file("../etc/passwd"), file("docs/a.md")])).toEqual(["manifest.files[0].path: `../etc/passwd` climbs out of the root; record paths relative to the scanned folder"]);
  });

  it("an absolute path", () => {
    expect(hostile([file("/etc/shadow")])).toEqual(["manifest.files[0].path: `/etc/shadow` is absolute; record paths relative to the scanned folder"]);
  });

  it("a path that is not valid UTF-8 (a lone surrogate written as a JSON escape)", () => {
    const text = JSON.stringify({ ...good, files: [file("placeholder")] }).replace('"placeholder"', '"bad\\udcffname"');
    expect(problems(Buffer.from(text))).toEqual([expect.stringMatching(/^manifest\.files\[0\]\.path: `bad.name` is not valid UTF-8; rename the file to a UTF-8 name$/)]);
  });

  it("a path or link text with a bidirectional control, on the fast path too", () => {
    const flipped = { path: "docs/x", type: "symlink", target: "\u202E/etc/shadow", sha256: sha256Digest("\u202E/etc/shadow"), size: Buffer.byteLength("\u202E/etc/shadow"), mode: "0777" };
    expect(hostile([flipped, file("systemd/user/x\u202Edm.service")])).toEqual([
      "manifest.files[0].target: `\\u202e/etc/shadow` holds a bidirectional control character, which makes it display as other text; no deploy tree needs such a link",
      "manifest.files[1].path: `systemd/user/x\\u202edm.service` holds a bidirectional control character, which makes it display as another name; rename the file",
    ]);
  });

  it("a host that could forge lines in a plan, or a root that is not absolute", () => {
    expect(hostile(good.files, (doc) => Object.assign(doc, { host: "iskra\n### 🟢 all good", root: "relative/x" }))).toEqual([
      "manifest.host: `iskra\\x0a### 🟢 all good` holds a control character, line break or bidirectional control; take the manifest again with a plain label, like `--host iskra`",
      "manifest.root: `relative/x` is not an absolute path; the root is the scanned folder's absolute path, like `/opt/iskra-openclaw`",
    ]);
  });

  it("a file that is not UTF-8 at all", () => {
    const bytes = Buffer.concat([Buffer.from(serializeManifest(good)).subarray(0, 40), Buffer.from([0xff, 0xfe]), Buffer.from(serializeManifest(good)).subarray(40)]);
    expect(problems(bytes)).toEqual(["manifest: the document is not valid UTF-8; save it as UTF-8 text"]);
  });

  it("the same path twice", () => {
    expect(hostile([file("a.md"), file("b.md"), file("b.md", "other")])).toEqual(["manifest.files[2].path: `b.md` is listed twice (first at files[1]); a path names one file, so take the manifest again"]);
  });

  it("entries out of order", () => {
    expect(hostile([file("b.md"), file("a.md")])).toEqual(["manifest.files[1].path: `a.md` comes after `b.md`; entries are sorted by the UTF-8 bytes of their paths, so take the manifest again instead of editing it"]);
  });

  it("a recorded digest that is not the digest of the files", () => {
    expect(hostile([file("a.md")], (doc) => (doc["digest"] = sha256Digest("something else")))).toEqual([
      `manifest.digest: \`${sha256Digest("something else")}\` is not the digest of the files listed (they hash to \`${manifestDigest([file("a.md")])}\`); the manifest was edited after it was written, so take it again with \`patchwarden drift manifest\``,
    ]);
  });

  it("a file digest edited after the manifest was written", () => {
    const edited = JSON.parse(serializeManifest(good)) as Manifest;
    edited.files[0] = { ...edited.files[0]!, sha256: sha256Digest("tampered") };
    expect(problems(Buffer.from(JSON.stringify(edited)))).toEqual([expect.stringMatching(/^manifest\.digest: `sha256:[0-9a-f]{64}` is not the digest of the files listed/)]);
  });

  it.each([
    ["bare hex", "ab".repeat(32)],
    ["uppercase hex", `sha256:${"AB".repeat(32)}`],
    ["a short digest", "sha256:abc"],
    ["another algorithm", `md5:${"a".repeat(32)}`],
  ])("a digest that is not `sha256:<64 hex>` (%s)", (_, digest) => {
    expect(hostile([{ ...file("a.md"), sha256: digest }], (doc) => (doc["digest"] = sha256Digest("x")))).toEqual([`manifest.files[0].sha256: \`${digest}\` is not a digest; write \`sha256:\` followed by 64 lowercase hex digits`]);
  });

  it("a symlink whose digest or size is not its text's", () => {
    const link = { path: "current", type: "symlink", target: "releases/7", sha256: sha256Digest("releases/6"), size: 9, mode: "0777" };
    expect(hostile([link])).toEqual([
      `manifest.files[0].sha256: \`${sha256Digest("releases/6")}\` is not the digest of the link's text \`releases/7\` (\`${sha256Digest("releases/7")}\`); take the manifest again`,
      "manifest.files[0].size: `9` is not the length of the link's text (10 bytes); take the manifest again",
    ]);
  });

  it("a path under a path recorded as a file", () => {
    expect(hostile([file("etc"), file("etc/passwd")])).toEqual(["manifest.files[1].path: `etc/passwd` lies under `etc`, which files[0] records as a file; one of them is wrong, so take the manifest again"]);
  });

  it("unknown keys, kinds of file and modes", () => {
    expect(hostile([{ ...file("a.md"), owner: "root" }, { ...file("b"), type: "fifo" }, { ...file("c.md"), mode: "644" }])).toEqual([
      "manifest.files[0].owner: unknown key `owner`; remove it or check its spelling",
      "manifest.files[1].type: `type` must be `file` or `symlink`; folders are implied by paths, and other kinds of file are refused",
      "manifest.files[2].mode: `644` is not a file mode; write four octal digits like `0644` or `0755`",
    ]);
  });

  it("a key repeated in one object", () => {
    const text = serializeManifest(good).replace('"host": "iskra",', '"host": "iskra",\n  "host": "elsewhere",');
    expect(problems(Buffer.from(text))).toEqual(["manifest.host: this key appears twice in one object; parsers disagree on which value wins, so remove one"]);
  });

  it("another schema, or no time zone", () => {
    expect(hostile([file("a.md")], (doc) => Object.assign(doc, { schema: "patchwarden.deploy_manifest.v2", generated_at: "2026-11-21T11:40:00" }))).toEqual([
      "manifest.schema: expected `patchwarden.deploy_manifest.v1`, got the text `patchwarden.deploy_manifest.v2`",
      "manifest.generated_at: the text `2026-11-21T11:40:00` is not an ISO-8601 time with seconds and an explicit offset; write it like `2026-11-21T04:44:47Z` or `2026-11-21T05:44:47+01:00`",
    ]);
  });

  it("a file over the size limit, before parsing it", () => {
    expect(problems(new Uint8Array(MAX_MANIFEST_BYTES + 1))).toEqual([expect.stringMatching(/^manifest: the document is 40 MiB, over the 40 MiB limit/)]);
  });

  it("many problems at once, capped so they stay readable", () => {
    const found = hostile(Array.from({ length: 80 }, (_, i) => file(`/abs/${i}`)));
    expect(found).toHaveLength(51);
    expect(found[50]).toBe("manifest: and 30 more problems; fix these first");
  });
});

import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../src/diagnostics/diagnostic.js";
import { buildManifest } from "../../src/drift/manifest.js";
import type { ManifestEntry } from "../../src/drift/manifest-schema.js";
import { buildPlan } from "../../src/drift/plan.js";
import { canonicalPlanJson, planDigest, type PlanContent } from "../../src/drift/plan-digest.js";
import { ignoreGlobsDiffer, type DriftPlan } from "../../src/drift/plan-schema.js";
import { validatePlan } from "../../src/drift/validate-plan.js";
import { canonicalJson } from "../../src/integrity/canonical-json.js";
import { sha256Digest } from "../../src/integrity/digest.js";
import { readPolicy } from "../../src/policy/read-policy.js";

const policy = await readPolicy();
const META = { generatedAt: "2026-11-21T11:40:00.000Z", host: "iskra", root: "/opt/iskra-openclaw", ignore: [], generator: { name: "patchwarden", version: "0.1.0" } };
const file = (path: string, content = path): ManifestEntry => ({ path, type: "file", sha256: sha256Digest(content), size: Buffer.byteLength(content), mode: "0644" });
const link = (path: string, target: string): ManifestEntry => ({ path, type: "symlink", target, sha256: sha256Digest(target), size: Buffer.byteLength(target), mode: "0777" });

// files[0] a.md changed (content), files[1] cur changed (a link), files[2] gone.md removed, files[3] new.md added; keep.md unchanged.
const PLAN = buildPlan({
  local: buildManifest([file("a.md", "new"), link("cur", "releases/8"), file("keep.md"), file("new.md")], META),
  remote: buildManifest([file("a.md", "old"), link("cur", "releases/7"), file("gone.md"), file("keep.md")], { ...META, host: "remote" }),
  rules: policy.drift!,
  policy: { name: policy.name, digest: policy.digest },
  now: Date.parse("2026-11-21T11:50:00Z"),
});

type Editable = Record<string, any>;
function problems(edit: (plan: Editable) => void): string[] {
  const doc = structuredClone(PLAN) as Editable;
  edit(doc);
  const validated = validatePlan(doc, "plan");
  if (validated.ok) throw new Error("expected the plan to be refused");
  return validated.diagnostics.map(formatDiagnostic);
}

describe("a drift plan must agree with itself", () => {
  it("the plan used here is accepted as made", () => {
    expect(PLAN.files.map((f) => `${f.path}:${f.change}`)).toEqual(["a.md:changed", "cur:changed", "gone.md:removed", "new.md:added"]);
    expect(validatePlan(structuredClone(PLAN), "plan")).toEqual({ ok: true, value: PLAN });
  });

  it("refuses a path listed twice, even with counts, totals and backups adjusted to match", () => {
    expect(
      problems((p) => {
        p.files.splice(1, 0, structuredClone(p.files[0]));
        p.prechecks.backup.files.splice(1, 0, structuredClone(p.prechecks.backup.files[0]));
        p.counts.changed++;
        p.local.files++;
        p.remote.files++;
      }),
    ).toEqual(["plan.files[1].path: `a.md` is out of order or repeated; a plan lists each path once, sorted"]);
  });

  it("refuses an added file with a remote side", () => {
    expect(problems((p) => (p.files[3].remote = structuredClone(p.files[3].local)))).toEqual(["plan.files[3]: a file that is `added` must have a local and no remote side"]);
  });

  it("refuses a removed file with a local side", () => {
    expect(problems((p) => (p.files[2].local = structuredClone(p.files[2].remote)))).toContain("plan.files[2]: a file that is `removed` must have no local and a remote side");
  });

  it("refuses `differs` that is not what the two sides differ in", () => {
    expect(problems((p) => (p.files[0].differs = ["content", "mode"]))).toEqual(["plan.files[0].differs: lists `content, mode`, but the two sides differ in `content`"]);
  });

  it("refuses a file listed as changed whose sides are the same", () => {
    expect(
      problems((p) => {
        p.files[0].local = structuredClone(p.files[0].remote);
        p.files[0].differs = [];
      }),
    ).toEqual(["plan.files[0]: `a.md` is listed as changed but both sides are the same"]);
  });

  it("refuses `drift: false` while files differ", () => {
    expect(problems((p) => (p.drift = false))).toEqual(["plan.drift: says false, but 4 file(s) differ"]);
  });

  it("refuses each side's file total that the counts do not make", () => {
    expect(problems((p) => (p.local.files = 5))).toEqual(["plan.local.files: says 5, but unchanged, changed and added files make 4"]);
    expect(problems((p) => (p.remote.files = 3))).toEqual(["plan.remote.files: says 3, but unchanged, changed and removed files make 4"]);
  });

  it("refuses a backup entry whose type is not the remote side's", () => {
    expect(problems((p) => (p.prechecks.backup.files[0].type = "symlink"))).toEqual([
      "plan.prechecks.backup.files: must list every changed and removed file with its target and its current remote type, digest, size and mode, in the plan's order, so rollback is possible",
    ]);
  });

  it("refuses receipt fields whose wording was changed or that lost a field", () => {
    const contract = "plan.receipt_fields: must be the receipt contract of this plan schema, unchanged: an apply's receipt records exactly these fields";
    expect(problems((p) => (p.receipt_fields[0].records = "anyone"))).toEqual([contract]);
    expect(problems((p) => p.receipt_fields.pop())).toEqual([contract]);
  });

  it("refuses a remote-unchanged precheck that names another digest than the remote manifest's", () => {
    expect(problems((p) => (p.prechecks.remote_unchanged.digest = p.local.digest))).toEqual(["plan.prechecks.remote_unchanged.digest: must be the remote manifest's digest"]);
  });

  it("refuses a symlink side without its link text", () => {
    expect(problems((p) => delete p.files[1].local.link)).toEqual(["plan.files[1].local.link: a symlink must record its link text"]);
  });

  it("refuses link text with a line break, even with its digest and size made to match", () => {
    expect(
      problems((p) => {
        const text = "releases/8\nforged";
        Object.assign(p.files[1].local, { link: text, sha256: sha256Digest(text), size: Buffer.byteLength(text) });
      }),
    ).toEqual(["plan.files[1].local.link: `releases/8 forged` holds a control character or line break; no deploy tree needs such a link"]);
  });

  it("refuses a link side whose digest or size is not its text's", () => {
    expect(problems((p) => (p.files[1].local.sha256 = sha256Digest("elsewhere")))).toEqual(["plan.files[1].local.sha256: is not the digest of the link text `releases/8`"]);
    expect(problems((p) => (p.files[1].local.size = 11))).toEqual(["plan.files[1].local.size: is not the length of the link text (10 bytes)"]);
  });

  it("refuses empty link text, even with its digest and size made to match", () => {
    expect(problems((p) => Object.assign(p.files[1].local, { link: "", sha256: sha256Digest(""), size: 0 }))).toEqual(["plan.files[1].local.link: must not be empty"]);
  });

  it("refuses a remote root that is not an absolute path", () => {
    expect(problems((p) => (p.remote.root = "opt/iskra-openclaw"))).toEqual(["plan.remote.root: `opt/iskra-openclaw` is not an absolute path; the root is the scanned folder's absolute path, like `/opt/iskra-openclaw`"]);
  });
});

describe("plan helpers", () => {
  it("finds ignore globs that differ when the remote skipped more than the local", () => {
    expect(ignoreGlobsDiffer({ local: { ...PLAN.local, ignore: ["a"] }, remote: { ...PLAN.remote, ignore: ["a", "b"] } })).toBe(true);
    expect(ignoreGlobsDiffer({ local: { ...PLAN.local, ignore: ["b", "a", "a"] }, remote: { ...PLAN.remote, ignore: ["a", "b"] } })).toBe(false);
  });

  it("digests text holding a lone surrogate as the canonical JSON does (escaped, not as U+FFFD)", () => {
    const { digest: _digest, ...content } = structuredClone(PLAN) as DriftPlan;
    const odd: PlanContent = { ...content, summary: "drift \ud800 here" };
    expect(canonicalPlanJson(odd)).toBe(canonicalJson(odd));
    expect(planDigest(odd)).toBe(sha256Digest(canonicalJson(odd)));
    expect(planDigest(odd)).not.toBe(planDigest({ ...content, summary: "drift \ufffd here" }));
  });
});

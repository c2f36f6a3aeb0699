import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/evidence/artifact-bytes.js";
import { snapshotToInput } from "../../src/evidence/snapshot.js";
import { classifyDelivery, type TriggerRules } from "../../src/forgejo/classify-delivery.js";
import { fetchEvidence } from "../../src/forgejo/fetch-evidence.js";
import { fetchPolicyChanges } from "../../src/forgejo/fetch-policy-changes.js";
import type { PushJob } from "../../src/forgejo/jobs.js";
import { useFakeForgejo } from "../helpers/fake-forgejo.js";
import { fixture } from "../helpers/paths.js";

// The real Codeberg (Forgejo) capture of a push that created a branch: `before` is the zero id,
// `commits` is EMPTY, and what the pushed commit changed is only in `head_commit`.
const REPO = "meisam/woodpecktester";
const rules: TriggerRules = { repos: new Set([REPO]), operators: new Set(["root"]), producers: new Set(["iskra-bot"]), gateLabel: "gate/review", evidenceGlobs: ["evidence/**/*.json", "evidence/**/*.yaml"], policyGlobs: ["policies/**/*.toml"] };
const headers = { delivery: "d-branch", event: "push", eventType: "push", signature: undefined };
const BUNDLE = "evidence/runs/green/evidence-bundle.json";

async function branchCreation(edit: (p: Record<string, any>) => void = () => {}): Promise<Record<string, any>> {
  const p = JSON.parse(await readFile(fixture("forgejo/payloads/real/forgejo-codeberg-HookPushBranch.json"), "utf8")) as Record<string, any>;
  p.sender.login = "iskra-bot";
  edit(p);
  return p;
}

function pushJobOf(p: Record<string, any>): PushJob {
  const result = classifyDelivery(headers, p, rules);
  if (result.kind !== "job" || result.job.trigger !== "push") throw new Error(`expected a push job, got ${JSON.stringify(result)}`);
  return result.job;
}

describe("a branch-creation push in the real Forgejo shape (commits: [], changes in head_commit)", () => {
  it("is as captured: no commits, a zero `before`, the pushed commit in head_commit", async () => {
    const p = await branchCreation();
    expect(p.commits).toEqual([]);
    expect(p.before).toBe("0".repeat(40));
    expect(p.head_commit.id).toBe(p.after);
  });

  it("judges an evidence bundle the pushed commit added, at that commit (not ignored as changing no evidence)", async () => {
    const p = await branchCreation((p) => {
      p.head_commit.added = [BUNDLE];
      p.head_commit.removed = [];
    });
    expect(pushJobOf(p)).toMatchObject({ after: p.after, files: [BUNDLE], policyFiles: [], truncated: false });
  });

  it("takes policy files from head_commit too", async () => {
    const p = await branchCreation((p) => (p.head_commit.modified = ["policies/gate.toml"]));
    expect(pushJobOf(p)).toMatchObject({ files: [], policyFiles: ["policies/gate.toml"], truncated: false });
  });

  it("applies head_commit's removals: a file it removed is not judged", async () => {
    const p = await branchCreation((p) => {
      p.head_commit.added = [BUNDLE];
      p.head_commit.removed = ["evidence/old.bundle.json"];
    });
    expect(pushJobOf(p).files).toEqual([BUNDLE]);
  });

  it("as captured (it only removed a CI file) is ignored, and says why", async () => {
    expect(classifyDelivery(headers, await branchCreation(), rules)).toMatchObject({ kind: "ignored", reason: expect.stringContaining("no added or modified file matches the evidence globs") });
  });

  it("with no head_commit either is truncated: the push cannot tell what it changed, so it never says `changed nothing`", async () => {
    const p = await branchCreation((p) => delete p.head_commit);
    expect(pushJobOf(p)).toMatchObject({ files: [], truncated: true });
  });

  it("with a head_commit that is not the pushed commit is truncated too", async () => {
    const p = await branchCreation((p) => {
      p.head_commit.id = "1".repeat(40);
      p.head_commit.added = [BUNDLE];
    });
    expect(pushJobOf(p)).toMatchObject({ truncated: true });
  });
});

describe("a push whose commits leave out the pushed commit", () => {
  const older = { id: "2".repeat(40), added: ["evidence/a.bundle.json", "evidence/b.bundle.json"], modified: [], removed: [] };

  it("counts head_commit as the newest commit: its removals decide, whatever the order of the rest", async () => {
    const p = await branchCreation((p) => {
      p.before = "3".repeat(40);
      p.commits = [older];
      p.head_commit.added = ["evidence/c.bundle.json"];
      p.head_commit.removed = ["evidence/b.bundle.json"];
    });
    expect(pushJobOf(p)).toMatchObject({ files: ["evidence/a.bundle.json", "evidence/c.bundle.json"], truncated: false });
  });

  it("without a head_commit naming it, is truncated: the files come from the compare API", async () => {
    const p = await branchCreation((p) => {
      p.before = "3".repeat(40);
      p.commits = [older];
      delete p.head_commit;
    });
    expect(pushJobOf(p)).toMatchObject({ truncated: true });
  });
});

describe("a truncated push that created a branch", () => {
  const forgejo = useFakeForgejo();

  it("is blocked saying its evidence files cannot be enumerated, and its policy what-if is not replayed, both without asking Forgejo", async () => {
    const job = pushJobOf(await branchCreation((p) => delete p.head_commit));
    const units = await fetchEvidence(forgejo.reader(), job, { evidenceGlobs: rules.evidenceGlobs, limits: DEFAULT_LIMITS, maxBundles: 20 });
    expect(units).toHaveLength(1);
    expect(units[0]!.target).toEqual({ repo: REPO, kind: "commit", sha: job.after });
    expect(snapshotToInput(units[0]!.snapshot).findings).toEqual([expect.objectContaining({ code: "bundle_unreadable", message: expect.stringContaining("its evidence files cannot be enumerated") })]);
    const policies = await fetchPolicyChanges(forgejo.reader(), job, rules.policyGlobs);
    expect(policies).toEqual([expect.objectContaining({ change: expect.objectContaining({ unreadable: expect.stringContaining("cannot all be known") }) })]);
    expect(forgejo.fake.requests).toEqual([]);
  });

  it("judges the bundle head_commit added, read at the pushed commit", async () => {
    const p = await branchCreation((p) => (p.head_commit.added = ["evidence/diag.bundle.yaml"]));
    forgejo.fake.file(REPO, p.after, "evidence/diag.bundle.yaml", await readFile(fixture("examples/runtime-diagnostics.bundle.yaml")));
    const units = await fetchEvidence(forgejo.reader(), pushJobOf(p), { evidenceGlobs: rules.evidenceGlobs, limits: DEFAULT_LIMITS, maxBundles: 20 });
    expect(units.map((u) => u.snapshot.origin)).toEqual([`${REPO}@${p.after.slice(0, 12)}:evidence/diag.bundle.yaml`]);
    expect(units[0]!.snapshot.bundle).not.toBeNull();
    expect(forgejo.fake.violations).toEqual([]);
  });
});

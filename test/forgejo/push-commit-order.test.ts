import { readFile } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/evidence/artifact-bytes.js";
import { classifyDelivery, type TriggerRules } from "../../src/forgejo/classify-delivery.js";
import { fetchEvidence } from "../../src/forgejo/fetch-evidence.js";
import { fetchPolicyChanges } from "../../src/forgejo/fetch-policy-changes.js";
import type { PushJob } from "../../src/forgejo/jobs.js";
import { useFakeForgejo } from "../helpers/fake-forgejo.js";
import { fixture } from "../helpers/paths.js";

const REPO = "Test-CI/multi-line-secrets";
const rules = (evidenceGlobs: string[], policyGlobs: string[] = []): TriggerRules => ({ repos: new Set([REPO]), operators: new Set(["root"]), producers: new Set(), gateLabel: "gate/review", evidenceGlobs, policyGlobs });
const headers = { delivery: "d-1", event: "push", eventType: "push", signature: undefined };

// The real capture: three commits, newest first (add aa and aaa; remove aa; modify aaa).
async function realMulti(): Promise<Record<string, any>> {
  const p = JSON.parse(await readFile(fixture("forgejo/payloads/real/forgejo-codeberg-HookPushMulti.json"), "utf8")) as Record<string, any>;
  p.sender.login = "root";
  return p;
}

function rewrite(p: Record<string, any>, oldest: Record<string, string[]>, middle: Record<string, string[]>, newest: Record<string, string[]>): void {
  const [n, m, o] = p.commits;
  for (const [commit, files] of [[o, oldest], [m, middle], [n, newest]] as const) Object.assign(commit, { added: [], modified: [], removed: [], ...files });
}

describe("push commit order (Forgejo lists commits newest first)", () => {
  it("a file added in an older commit and removed in a newer one is not listed as changed", async () => {
    const result = classifyDelivery(headers, await realMulti(), rules(["a*"]));
    expect(result).toMatchObject({ kind: "job", job: { files: ["aaa"] } });
  });

  it("a policy file removed in an older commit and re-added in a newer one still gets a what-if", async () => {
    const p = await realMulti();
    rewrite(p, { removed: ["policies/gate.toml"] }, {}, { added: ["policies/gate.toml"] });
    expect(classifyDelivery(headers, p, rules(["evidence/**/*.json"], ["policies/**/*.toml"]))).toMatchObject({ kind: "job", job: { policyFiles: ["policies/gate.toml"] } });
  });

  it("an evidence bundle deleted in an older commit and re-added in a newer one is judged", async () => {
    const p = await realMulti();
    rewrite(p, { removed: ["evidence/run.bundle.json"] }, {}, { added: ["evidence/run.bundle.json"] });
    expect(classifyDelivery(headers, p, rules(["evidence/**/*.json"]))).toMatchObject({ kind: "job", job: { files: ["evidence/run.bundle.json"] } });
  });

  it("reads the order from the payload: listed oldest first, the same push gives the same files", async () => {
    const p = await realMulti();
    p.commits.reverse();
    expect(classifyDelivery(headers, p, rules(["a*"]))).toMatchObject({ kind: "job", job: { files: ["aaa"] } });
  });

  it("when neither end of the list is the pushed commit, a removal removes nothing (a gone file then reads as blocked, never a present one skipped)", async () => {
    const p = await realMulti();
    rewrite(p, { added: ["evidence/a.bundle.json"] }, { removed: ["evidence/a.bundle.json"] }, { added: ["evidence/b.bundle.json"] });
    p.after = "f".repeat(40);
    expect(classifyDelivery(headers, p, rules(["evidence/**/*.json"]))).toMatchObject({ kind: "job", job: { files: ["evidence/a.bundle.json", "evidence/b.bundle.json"] } });
  });
});

describe("a truncated push, listed through the compare API (every commit's files, newest commit first)", () => {
  const BEFORE = "b".repeat(40);
  const AFTER = "a".repeat(40);
  // As Forgejo's CompareDiff answers: each commit with its files, newest first, and all their files
  // in one list in that order. The oldest commit removes back.*, the next adds back.* and gone.*,
  // the newest removes gone.*: at the head, back.* is there and gone.* is not.
  const forgejo = useFakeForgejo();
  beforeEach(() => {
    forgejo.fake.compare("o/r", BEFORE, AFTER, [
      { sha: "3".repeat(40), files: [{ filename: "evidence/gone.bundle.json", status: "removed" }, { filename: "policies/gone.toml", status: "removed" }] },
      { sha: "2".repeat(40), files: [{ filename: "evidence/back.bundle.json", status: "added" }, { filename: "policies/back.toml", status: "added" }, { filename: "evidence/gone.bundle.json", status: "added" }, { filename: "policies/gone.toml", status: "added" }] },
      { sha: "1".repeat(40), files: [{ filename: "evidence/back.bundle.json", status: "removed" }, { filename: "policies/back.toml", status: "removed" }] },
    ]);
    forgejo.fake.file("o/r", AFTER, "evidence/back.bundle.json", "{}");
    forgejo.fake.file("o/r", AFTER, "policies/back.toml", "[gate]\n");
  });
  afterEach(() => expect(forgejo.fake.violations, "requests and responses must fit Forgejo's API description").toEqual([]));
  const job: PushJob = { trigger: "push", repo: "o/r", ref: "refs/heads/main", before: BEFORE, after: AFTER, sender: "root", files: [], policyFiles: [], truncated: true };

  it("judges a bundle that is there at the head, and gives none for one added and deleted again (no false 'cannot read')", async () => {
    const units = await fetchEvidence(forgejo.reader(), job, { evidenceGlobs: ["evidence/**/*.json"], limits: DEFAULT_LIMITS, maxBundles: 20 });
    expect(units.map((u) => u.snapshot.origin)).toEqual([`o/r@${AFTER.slice(0, 12)}:evidence/back.bundle.json`]);
    expect(units[0]!.snapshot.bundle).not.toBeNull();
  });

  it("replays a policy file that is there at the head, and none for one added and deleted again", async () => {
    const units = await fetchPolicyChanges(forgejo.reader(), job, ["policies/**/*.toml"]);
    expect(units.map((u) => [u.change.path, u.change.unreadable])).toEqual([["policies/back.toml", undefined]]);
  });
});

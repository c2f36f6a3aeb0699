// Regression checks of paths that were sound before the trigger fixes: a kit run in an odd folder is
// read whole at the pushed commit, and tag pushes and branch deletions are ignored with a reason.
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/evidence/artifact-bytes.js";
import { snapshotToInput } from "../../src/evidence/snapshot.js";
import { classifyDelivery, type TriggerRules } from "../../src/forgejo/classify-delivery.js";
import { fetchEvidence } from "../../src/forgejo/fetch-evidence.js";
import type { PushJob } from "../../src/forgejo/jobs.js";
import { statusContextFor } from "../../src/forgejo/push-origin.js";
import { useFakeForgejo } from "../helpers/fake-forgejo.js";
import { fixture } from "../helpers/paths.js";

const AFTER = "c".repeat(40);
const rules: TriggerRules = { repos: new Set(["o/r"]), operators: new Set(["root"]), producers: new Set(), gateLabel: "g", evidenceGlobs: ["evidence/**/*.json", "evidence/**/*.yaml"], policyGlobs: [] };

describe("a push, on paths that must keep working", () => {
  const forgejo = useFakeForgejo();
  it("reads a kit run in a folder with spaces, unicode, # ? % and colons at the pushed commit", async () => {
    const dir = "evidence/runs/próba 2026-11-21T04:44:47 #1 ?x %41";
    const names = ["evidence-bundle.json", "verdict.json", "runtime-truth.json", "core-candidate-lock.json", "installation-candidate-lock.json", "installation-attestation.json", "conservative-gates.json", "synthetic-update.json", "customization-compatibility.json", "coverage-report.json", "post-upgrade-e2e.json"];
    for (const n of names) forgejo.fake.file("o/r", AFTER, `${dir}/${n}`, await readFile(fixture(`openclaw-runs/green/${n}`)));
    const p = { ref: "refs/heads/main", before: "b".repeat(40), after: AFTER, commits: [{ id: AFTER, added: names.map((n) => `${dir}/${n}`), modified: [], removed: [] }], total_commits: 1, repository: { full_name: "o/r" }, sender: { login: "root" } };
    const c = classifyDelivery({ delivery: "d", event: "push", eventType: "push", signature: undefined }, p, rules);
    expect(c.kind).toBe("job");
    const units = await fetchEvidence(forgejo.reader(), (c as { job: PushJob }).job, { evidenceGlobs: rules.evidenceGlobs, limits: DEFAULT_LIMITS, maxBundles: 20 });
    expect(units).toHaveLength(1);
    const input = snapshotToInput(units[0]!.snapshot);
    expect(input.findings.filter((f) => f.code === "artifact_missing")).toEqual([]);
    expect(input.artifacts.every((a) => a.observed === a.declared)).toBe(true);
    expect(statusContextFor(units[0]!.snapshot.origin)).toBe(`patchwarden/gate: ${dir}/evidence-bundle.json`);
  });

  it("ignores tag pushes and branch deletions (zero after), with a reason", () => {
    const base = { before: "b".repeat(40), after: AFTER, commits: [{ id: AFTER, added: ["evidence/x.bundle.json"] }], repository: { full_name: "o/r" }, sender: { login: "root" } };
    const h = { delivery: "d", event: "push", eventType: "push", signature: undefined };
    expect(classifyDelivery(h, { ...base, ref: "refs/tags/v1" }, rules)).toMatchObject({ kind: "ignored", reason: expect.stringContaining("is not a branch") });
    expect(classifyDelivery(h, { ...base, ref: "refs/heads/x", after: "0".repeat(40), commits: [] }, rules)).toMatchObject({ kind: "ignored", reason: expect.stringContaining("deleted the ref") });
    expect(classifyDelivery(h, { ...base, ref: "refs/heads/x", after: "0".repeat(64), commits: [] }, rules)).toMatchObject({ kind: "ignored" });
  });
});

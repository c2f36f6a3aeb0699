// How a kit run's listing of its artifacts is read: a listing that is not `success` never becomes
// a pass, `blocked` is a failure like `failed`, an artifact listed twice is read once, and
// verdict.json leaving a listed artifact out is a contradiction.
import { describe, expect, it } from "vitest";
import { readEvidence } from "../../src/evidence/read-evidence.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { editRun, useKitRuns, type Json } from "../helpers/kit-runs.js";
import { fixture } from "../helpers/paths.js";

// Under this fixture policy a green kit run is eligible, so only the evidence can hold a run back.
const readOnlyReview = await readPolicy(fixture("policies/read-only-upgrade-review.toml"));
const AT = Date.parse("2026-11-21T05:00:00Z");

const { copyRun } = useKitRuns();
const editWholly = (dir: string, file: string, edit: (value: Json) => void) => editRun(dir, file, edit, { decision: true });

/** Lists runtime-truth.json as `status` in the bundle and in verdict.json alike, and drops the artifact's own status. */
async function listRuntimeTruthAs(dir: string, status: string): Promise<void> {
  await editWholly(dir, "runtime-truth.json", (truth) => {
    delete truth["status"];
  });
  await editWholly(dir, "evidence-bundle.json", (bundle) => {
    for (const entry of bundle["evidence"]) if (entry.path === "runtime-truth.json") entry.status = status;
  });
  await editWholly(dir, "verdict.json", (verdict) => {
    verdict["decision_content"].evidence_status.runtime_truth = status;
  });
}

describe("a kit artifact's listed status", () => {
  it("the green run with runtime-truth.json carrying no status of its own is still eligible (baseline)", async () => {
    const dir = await copyRun("green");
    await listRuntimeTruthAs(dir, "success");
    const input = await readEvidence(dir);
    expect(input.bundle!.evidence.find((e) => e.id === "runtime-truth.json")!.status).toBe("pass");
    expect(evaluate(input, readOnlyReview, AT).verdict).toBe("eligible_repair_dry_run");
  });

  it("listed as skipped, with no status of its own, is unknown and the run is not eligible", async () => {
    const dir = await copyRun("green");
    await listRuntimeTruthAs(dir, "skipped");
    const input = await readEvidence(dir);
    expect(input.bundle!.evidence.find((e) => e.id === "runtime-truth.json")!.status).toBe("unknown");
    expect(evaluate(input, readOnlyReview, AT).verdict).not.toBe("eligible_repair_dry_run");
  });

  it("listed as blocked is a failure, exactly as failed is, and the run is blocked", async () => {
    const dir = await copyRun("green");
    await listRuntimeTruthAs(dir, "blocked");
    const input = await readEvidence(dir);
    const item = input.bundle!.evidence.find((e) => e.id === "runtime-truth.json")!;
    expect(item.status).toBe("fail");
    expect(item.summary).toContain("is blocked");
    expect(evaluate(input, readOnlyReview, AT).verdict).toBe("blocked");
  });
});

describe("an artifact listed twice in evidence-bundle.json", () => {
  it("is refused, and read as one item and one artifact check, not two", async () => {
    const dir = await copyRun("green");
    await editWholly(dir, "evidence-bundle.json", (bundle) => {
      bundle["evidence"].push({ ...bundle["evidence"][0] });
    });
    const input = await readEvidence(dir);
    const path = input.bundle!.evidence[0]!.id!;
    expect(input.bundle!.evidence.filter((e) => e.id === path)).toHaveLength(1);
    expect(input.artifacts.filter((check) => check.path === path)).toHaveLength(1);
    expect(input.findings.filter((f) => f.code === "producer_record_inconsistent").map((f) => f.message)).toEqual([expect.stringContaining("is listed twice")]);
    expect(evaluate(input, readOnlyReview, AT).verdict).toBe("blocked");
  });
});

describe("verdict.json's record of each listed artifact", () => {
  it("leaving a listed artifact out is a contradiction, named as absent, and the run is blocked", async () => {
    const dir = await copyRun("green");
    await editWholly(dir, "verdict.json", (verdict) => {
      delete verdict["decision_content"].evidence_status.synthetic_update;
    });
    const verdict = evaluate(await readEvidence(dir), readOnlyReview, AT);
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons.filter((r) => r.code === "producer_record_inconsistent").map((r) => [r.path, r.message])).toEqual([
      ["verdict.json.decision_content.evidence_status.synthetic_update", "verdict.json records `synthetic-update.json` as `absent`, but the bundle lists it as `success`"],
    ]);
  });
});

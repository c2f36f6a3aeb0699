import { describe, expect, it } from "vitest";
import { describeCheck, liftedChecks } from "../../src/replay/lifted-checks.js";
import { reason } from "../../src/verdict/rule-context.js";
import type { Reason } from "../../src/verdict/verdict-types.js";

const stale = (index: number, field = "generated_at"): Reason => reason("evidence_stale", "old", { path: `bundle.evidence[${index}].${field}`, evidence: { index, kind: "runtime-truth-report" } });
const future = (index: number): Reason => reason("evidence_from_future", "ahead", { path: `bundle.evidence[${index}].generated_at`, evidence: { index, kind: "runtime-truth-report" } });
const hardManualStep = (step: number): Reason => reason("plan_step_hard_manual", "x", { path: `bundle.candidate.plan.steps[${step}].action` });
const notAllowedStep = (step: number): Reason => reason("plan_step_not_allowed", "x", { path: `bundle.candidate.plan.steps[${step}].action` });
const lifted = (before: Reason[], after: Reason[]) => liftedChecks(before, after).map(describeCheck);

describe("liftedChecks: what keeps a running-policy check in place", () => {
  it("another code about the same evidence item does not keep a lifted check", () => {
    // Stale under the running policy; under the candidate only dated in the future: the staleness check is gone.
    expect(lifted([stale(0)], [future(0)])).toEqual(["evidence_stale at bundle.evidence[0].generated_at"]);
  });

  it("one same-item reason under the candidate keeps only one of two such reasons", () => {
    // Two reasons about item 0 at two places; the candidate gives one at a third place.
    expect(lifted([stale(0), stale(0, "data.local.generated_at")], [stale(0, "data.remote.generated_at")])).toEqual(["evidence_stale at bundle.evidence[0].data.local.generated_at"]);
  });

  it("a hard-manual step present under both policies supersedes nothing: a step no longer refused is lifted", () => {
    // Step 0 is hard-manual under both; step 1's action became allowed.
    expect(lifted([hardManualStep(0), notAllowedStep(1)], [hardManualStep(0)])).toEqual(["plan_step_not_allowed at bundle.candidate.plan.steps[1].action"]);
  });

  it("a step that became hard-manual is not counted as a lifted allowed-actions check", () => {
    expect(lifted([notAllowedStep(1)], [hardManualStep(1)])).toEqual([]);
  });

  it("a new hard-manual step supersedes no evidence check: a required kind no longer missing is lifted", () => {
    const missing = reason("evidence_missing", "x", { path: "bundle.evidence" });
    expect(lifted([missing], [hardManualStep(0)])).toEqual(["evidence_missing at bundle.evidence"]);
  });

  it("an unknown repair class supersedes its own checks, not the staleness of an item", () => {
    const unknown = reason("repair_class_unknown", "x", { path: "bundle.candidate.repair_class" });
    expect(lifted([stale(0)], [unknown])).toEqual(["evidence_stale at bundle.evidence[0].generated_at"]);
  });
});

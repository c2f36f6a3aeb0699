import { describe, expect, it } from "vitest";
import { describeCheck, liftedChecks } from "../../src/replay/lifted-checks.js";
import { reason } from "../../src/verdict/rule-context.js";
import type { Reason } from "../../src/verdict/verdict-types.js";

const stale = (index: number, field = "generated_at"): Reason => reason("evidence_stale", "old", { path: `bundle.evidence[${index}].${field}`, evidence: { index, kind: "runtime-truth-report" } });
const highRisk = (file: number): Reason => reason("drift_high_risk", "high", { path: `bundle.evidence[0].data.files[${file}]`, evidence: { index: 0, kind: "deploy-drift-probe" } });
const lifted = (before: Reason[], after: Reason[]) => liftedChecks(before, after).map(describeCheck);

describe("liftedChecks: the running policy's holds and blocks the candidate no longer gives", () => {
  it("counts one of two reasons with the same code as lifted", () => {
    expect(lifted([stale(0), stale(1)], [stale(0)])).toEqual(["evidence_stale at bundle.evidence[1].generated_at"]);
    expect(lifted([stale(0), stale(1)], [stale(1), stale(0)])).toEqual([]);
  });

  it("keeps a reason that names another place about the same item, never one about another item", () => {
    // A drift plan's high-risk reason names its first high-risk file; an item fresh by its own time may be stale by its manifest.
    expect(lifted([highRisk(5)], [highRisk(2)])).toEqual([]);
    expect(lifted([stale(0)], [stale(0, "data.remote.generated_at")])).toEqual([]);
    expect(lifted([stale(0), stale(1)], [stale(0, "data.remote.generated_at"), stale(0)])).toEqual(["evidence_stale at bundle.evidence[1].generated_at"]);
  });

  it("ignores explanations, and a check a stricter new one supersedes", () => {
    expect(lifted([reason("dry_run_only", "x")], [])).toEqual([]);
    const classChecks = [reason("mutation_requires_operator", "x", { path: "bundle.candidate.repair_class" }), reason("evidence_missing", "x", { path: "bundle.evidence" })];
    expect(lifted(classChecks, [reason("repair_class_unknown", "x", { path: "bundle.candidate.repair_class" })])).toEqual([]);
    expect(lifted(classChecks, [])).toEqual(["mutation_requires_operator at bundle.candidate.repair_class", "evidence_missing at bundle.evidence"]);
    // Two missing kinds give two reasons at one path: requiring one fewer lifts one.
    const missing = reason("evidence_missing", "x", { path: "bundle.evidence" });
    expect(lifted([missing, missing], [missing])).toEqual(["evidence_missing at bundle.evidence"]);
  });
});

import { describe, expect, it } from "vitest";
import type { EvaluationInput } from "../../src/evidence/evaluation-input.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { bundleOf, item, NOW } from "../helpers/bundles.js";

// A problem found while reading the input (for example in a producer's record) becomes a reason
// as it is, and when it concerns one evidence item the reason names that item: index, kind and
// subject, as every other reason about an item does.
const policy = await readPolicy();
const bundle = bundleOf("runtime_diagnostics", [item("runtime-truth-report", { subject: "gw" }), item("autoheal-dashboard", { subject: "iskra" }), item("incident-packet")]);

function judge(findings: EvaluationInput["findings"]) {
  const input: EvaluationInput = { format: "patchwarden.evidence_bundle.v1", digest: `sha256:${"0".repeat(64)}`, bundle, findings, artifacts: [] };
  return evaluate(input, policy, NOW);
}

describe("input findings as reasons", () => {
  it("a finding about evidence[1] names that item, with its subject", () => {
    const v = judge([{ code: "producer_record_inconsistent", path: "run/status.json.status", message: "the record disagrees", evidenceIndex: 1 }]);
    expect(v.verdict).toBe("blocked");
    const finding = v.reasons.find((r) => r.code === "producer_record_inconsistent");
    expect(finding).toEqual({ code: "producer_record_inconsistent", severity: "block", message: "the record disagrees", path: "run/status.json.status", evidence: { index: 1, kind: "autoheal-dashboard", subject: "iskra" } });
  });

  it("an item without a subject is named by index and kind only; a finding about no item names none", () => {
    const v = judge([
      { code: "bundle_invalid", path: "x.y", message: "bad field", evidenceIndex: 2 },
      { code: "bundle_invalid", path: "bundle", message: "bad bundle" },
      { code: "bundle_invalid", path: "z", message: "out of range", evidenceIndex: 9 },
    ]);
    const invalid = v.reasons.filter((r) => r.code === "bundle_invalid");
    expect(invalid.map((r) => r.evidence)).toEqual([{ index: 2, kind: "incident-packet" }, undefined, undefined]);
  });
});

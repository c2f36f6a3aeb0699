import { describe, expect, it } from "vitest";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";

// A remediation proposal's proposed_class is compared as written: a blank one is not the
// candidate's class, so the proposal is not taken as one for the repair being judged.
const policy = await readPolicy();

describe("a remediation proposal whose proposed_class is blank", () => {
  it("holds the verdict with proposed_class_mismatch at its proposed_class", () => {
    const proposal = item("remediation-proposal", { subject: "rp", data: { proposed_class: "" } });
    const v = evaluate(inputOf(bundleOf("runtime_diagnostics", [item("runtime-truth-report", { subject: "gw" }), item("autoheal-dashboard", { subject: "iskra" }), proposal])), policy, NOW);
    expect(v.verdict).toBe("needs_human");
    expect(v.reasons.map((r) => [r.code, r.path])).toEqual([["proposed_class_mismatch", "bundle.evidence[2].data.proposed_class"]]);
    expect(v.reasons[0]!.message).toContain("proposes the repair class ``, not the candidate's `runtime_diagnostics` (not a repair class of the policy)");
  });
});

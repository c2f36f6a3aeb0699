import { describe, expect, it } from "vitest";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";

// A remediation proposal that names a hard-manual class is reported even when the candidate
// names the same class: the name itself is work the operator owns, so the reason is never dropped
// because the two agree.
const policy = await readPolicy();

describe("a proposal for a hard-manual class", () => {
  it("beside a candidate of that same class, it is still named, with what the class is", () => {
    const proposal = item("remediation-proposal", { subject: "rp", data: { proposed_class: "service_restart" } });
    const v = evaluate(inputOf(bundleOf("service_restart", [item("runtime-truth-report", { subject: "gw" }), proposal])), policy, NOW);
    expect(v.verdict).toBe("blocked");
    const mismatch = v.reasons.filter((r) => r.code === "proposed_class_mismatch");
    expect(mismatch.map((r) => [r.path, r.severity, r.message])).toEqual([
      ["bundle.evidence[1].data.proposed_class", "hold", "`remediation-proposal` evidence[1] (`rp`) proposes the repair class `service_restart` (a hard-manual class: the operator owns it); a human must read it"],
    ]);
  });
});

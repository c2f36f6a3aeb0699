import { describe, expect, it } from "vitest";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";

// Every kind the repair class requires and the bundle lacks gets its own reason, pointing at the
// bundle's evidence list (there is no item to point at) and naming the class and the kind.
const policy = await readPolicy();

describe("required evidence that is missing", () => {
  it("incident_triage with only a runtime-truth report lacks two kinds: one blocking reason each, at bundle.evidence", () => {
    const v = evaluate(inputOf(bundleOf("incident_triage", [item("runtime-truth-report", { subject: "gw" })])), policy, NOW);
    expect(v.verdict).toBe("blocked");
    const missing = v.reasons.filter((r) => r.code === "evidence_missing");
    expect(missing.map((r) => [r.path, r.evidence, r.severity])).toEqual([
      ["bundle.evidence", undefined, "block"],
      ["bundle.evidence", undefined, "block"],
    ]);
    expect(missing.map((r) => r.message)).toEqual([
      "repair class `incident_triage` requires `incident-packet` evidence and the bundle has none; attach it and re-run the gate",
      "repair class `incident_triage` requires `autoheal-dashboard` evidence and the bundle has none; attach it and re-run the gate",
    ]);
  });
});

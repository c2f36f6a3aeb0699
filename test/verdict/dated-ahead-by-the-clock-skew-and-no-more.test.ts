import { describe, expect, it } from "vitest";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";

// The bundle's own generated_at may run ahead of the gate's clock by the policy's clock-skew
// tolerance (2m) and no further: one second past it blocks, and the reason says by how much.
const policy = await readPolicy();

function judgeBundleAt(generatedAt: string) {
  const bundle = bundleOf("runtime_diagnostics", [item("runtime-truth-report", { subject: "gw" }), item("autoheal-dashboard", { subject: "iskra" })]);
  bundle.generated_at = generatedAt;
  return evaluate(inputOf(bundle), policy, NOW);
}

describe("a bundle dated ahead of the gate's clock", () => {
  it("exactly the tolerance ahead is accepted", () => {
    const v = judgeBundleAt("2026-11-21T12:02:00Z");
    expect(v.verdict).toBe("eligible_repair_dry_run");
    expect(v.reasons.map((r) => r.code)).not.toContain("bundle_from_future");
  });

  it("one second past the tolerance is blocked, at bundle.generated_at", () => {
    const v = judgeBundleAt("2026-11-21T12:02:01Z");
    expect(v.verdict).toBe("blocked");
    expect(v.reasons.filter((r) => r.severity !== "info").map((r) => [r.code, r.path])).toEqual([["bundle_from_future", "bundle.generated_at"]]);
    expect(v.reasons[0]!.message).toBe("the bundle is dated 2m1s in the future, beyond the 2m clock-skew tolerance; check the producer's clock");
  });
});

describe("an evidence item dated ahead of the gate's clock", () => {
  function judgeItemAt(generatedAt: string) {
    const bundle = bundleOf("runtime_diagnostics", [item("runtime-truth-report", { subject: "gw", generated_at: generatedAt }), item("autoheal-dashboard", { subject: "iskra" })]);
    return evaluate(inputOf(bundle), policy, NOW);
  }

  it("exactly the tolerance ahead is accepted", () => {
    const v = judgeItemAt("2026-11-21T12:02:00Z");
    expect(v.verdict).toBe("eligible_repair_dry_run");
    expect(v.reasons.map((r) => r.code)).toEqual(["dry_run_only"]);
  });

  it("one second past the tolerance is from the future, at the item's generated_at", () => {
    const v = judgeItemAt("2026-11-21T12:02:01Z");
    expect(v.verdict).toBe("blocked");
    expect(v.reasons.map((r) => [r.code, r.path])).toEqual([["evidence_from_future", "bundle.evidence[0].generated_at"]]);
    expect(v.reasons[0]!.message).toBe("`runtime-truth-report` evidence[0] (`gw`) is dated 2m1s in the future, beyond the 2m clock-skew tolerance; check the producer's clock");
  });
});

import { describe, expect, it } from "vitest";
import type { EvidenceBundle } from "../../src/evidence/bundle-schema.js";
import type { EvaluationInput } from "../../src/evidence/evaluation-input.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { bundleOf, item, NOW } from "../helpers/bundles.js";

// The engine is a pure function callers may hand an input that skipped the contract's ISO-8601
// check. A time it cannot place then counts as infinitely old: stale or expired, so blocked,
// never fresh and never "from the future".
const policy = await readPolicy();

function unchecked(bundle: EvidenceBundle): EvaluationInput {
  return { format: "patchwarden.evidence_bundle.v1", digest: `sha256:${"0".repeat(64)}`, bundle, findings: [], artifacts: [] };
}

describe("times the engine cannot place (an input that skipped validation)", () => {
  it("an expires_at that is no time means the item has expired: blocked", () => {
    const bundle = bundleOf("runtime_diagnostics", [item("runtime-truth-report", { subject: "gw", expires_at: "later" }), item("autoheal-dashboard", { subject: "iskra" })]);
    const v = evaluate(unchecked(bundle), policy, NOW);
    expect(v.verdict).toBe("blocked");
    expect(v.reasons.filter((r) => r.severity !== "info").map((r) => [r.code, r.path])).toEqual([["evidence_expired", "bundle.evidence[0].expires_at"]]);
  });

  it("a generated_at that is no time makes the item stale, not future-dated", () => {
    const bundle = bundleOf("runtime_diagnostics", [item("runtime-truth-report", { subject: "gw", generated_at: "yesterday" }), item("autoheal-dashboard", { subject: "iskra" })]);
    const v = evaluate(unchecked(bundle), policy, NOW);
    expect(v.verdict).toBe("blocked");
    expect(v.reasons.filter((r) => r.severity !== "info").map((r) => [r.code, r.path])).toEqual([["evidence_stale", "bundle.evidence[0].generated_at"]]);
  });
});

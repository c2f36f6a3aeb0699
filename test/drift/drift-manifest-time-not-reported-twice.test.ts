import { describe, expect, it } from "vitest";
import { planDigest } from "../../src/drift/plan-digest.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { inputOf } from "../helpers/bundles.js";
import { bundleWith, iskraBundle, planFor } from "./fixture-set.js";

const policy = await readPolicy();
const AT_NOON = Date.parse("2026-11-21T12:00:00Z");

describe("a drift item whose own time already tells a manifest's age gets one reason, not two", () => {
  it("a stale item dated by its stale manifest: one evidence_stale, at the item's time", () => {
    const bundle = bundleWith(planFor(policy, "iskra-docs-behind-stale"));
    expect(bundle.evidence[1]!.generated_at).toBe("2026-11-21T10:30:00Z");
    const verdict = evaluate(inputOf(bundle), policy, AT_NOON);
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons.map((r) => [r.code, r.path])).toEqual([["evidence_stale", "bundle.evidence[1].generated_at"]]);
  });

  it("an item dated in the future like its manifests: one evidence_from_future, at the item's time", () => {
    const ahead = new Date(AT_NOON + (policy.skewToleranceSeconds + 600) * 1000).toISOString().replace(".000Z", "Z");
    const plan = structuredClone(planFor(policy, "iskra-docs-behind"));
    plan.local.generated_at = ahead;
    plan.remote.generated_at = ahead;
    plan.digest = planDigest(plan);
    const bundle = bundleWith(plan);
    bundle.evidence[1]!.generated_at = ahead;
    const verdict = evaluate(inputOf(bundle), policy, AT_NOON);
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons.map((r) => [r.code, r.path])).toEqual([["evidence_from_future", "bundle.evidence[1].generated_at"]]);
  });
});

describe("only a drift plan's manifests date an item", () => {
  it("another kind's data shaped like a plan does not shorten that item's life", () => {
    const bundle = iskraBundle();
    const runtime = bundle.evidence[0]!;
    Object.assign(runtime.data, { schema: planFor(policy, "iskra-in-sync").schema, remote: { generated_at: "2026-11-21T09:00:00Z" }, local: { generated_at: "2026-11-21T09:00:00Z" } });
    const verdict = evaluate(inputOf(bundle), policy, AT_NOON);
    const maxAge = policy.maxAgeSeconds[runtime.kind]!;
    expect(Date.parse(verdict.evidence[0]!.stale_at!)).toBe(Date.parse(runtime.generated_at) + maxAge * 1000);
  });

  it("a deploy-drift-probe item whose data is no plan is dated by its own time alone", () => {
    const bundle = bundleWith(planFor(policy, "iskra-docs-behind"));
    const item = bundle.evidence[1]!;
    item.data = { remote: { generated_at: "2026-11-21T09:00:00Z" }, local: { generated_at: "2026-11-21T09:00:00Z" } };
    const verdict = evaluate(inputOf(bundle), policy, AT_NOON);
    expect(verdict.reasons.map((r) => [r.code, r.path])).toContainEqual(["drift_plan_invalid", "bundle.evidence[1].data.schema"]);
    const maxAge = policy.maxAgeSeconds[item.kind]!;
    expect(Date.parse(verdict.evidence[1]!.stale_at!)).toBe(Date.parse(item.generated_at) + maxAge * 1000);
  });
});

import { describe, expect, it } from "vitest";
import { planDigest } from "../../src/drift/plan-digest.js";
import type { EvidenceBundle } from "../../src/evidence/bundle-schema.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { formatDuration } from "../../src/time/duration.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { inputOf } from "../helpers/bundles.js";
import { bundleWith, planFor } from "./fixture-set.js";

const policy = await readPolicy();
const AT_NOON = Date.parse("2026-11-21T12:00:00Z");

const judge = (bundle: EvidenceBundle) => evaluate(inputOf(bundle), policy, AT_NOON);

describe("a drift plan's manifests are judged when the item's own time sits exactly at the limit", () => {
  it("blocks a stale remote manifest inside an item dated exactly max_age ago (the item itself still fresh)", () => {
    expect(policy.maxAgeSeconds["deploy-drift-probe"]).toBe(3600);
    const bundle = bundleWith(planFor(policy, "iskra-docs-behind-stale")); // remote manifest 10:30
    bundle.evidence[1]!.generated_at = "2026-11-21T11:00:00Z"; // exactly 1h before noon
    const verdict = judge(bundle);
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons.map((r) => [r.code, r.path])).toEqual([["evidence_stale", "bundle.evidence[1].data.remote.generated_at"]]);
    expect(verdict.reasons[0]!.message).toBe(
      "`deploy-drift-probe` evidence[1] (`iskra`) compares a remote manifest taken 1h30m ago, over the policy's 1h maximum for its kind; take a fresh manifest and make the plan again",
    );
  });

  it("blocks a manifest from the future inside an item dated exactly the clock-skew tolerance ahead", () => {
    const skew = policy.skewToleranceSeconds;
    const plan = structuredClone(planFor(policy, "iskra-docs-behind"));
    plan.remote.generated_at = new Date(AT_NOON + (skew + 600) * 1000).toISOString().replace(".000Z", "Z");
    plan.digest = planDigest(plan);
    const bundle = bundleWith(plan);
    bundle.evidence[1]!.generated_at = new Date(AT_NOON + skew * 1000).toISOString().replace(".000Z", "Z");
    const verdict = judge(bundle);
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons.map((r) => [r.code, r.path])).toEqual([["evidence_from_future", "bundle.evidence[1].data.remote.generated_at"]]);
    expect(verdict.reasons[0]!.message).toBe(
      `\`deploy-drift-probe\` evidence[1] (\`iskra\`) compares a remote manifest dated ${formatDuration(skew + 600)} in the future, beyond the ${formatDuration(skew)} clock-skew tolerance; check that host's clock`,
    );
  });

  it("accepts a manifest dated exactly the clock-skew tolerance ahead, and no further", () => {
    const skew = policy.skewToleranceSeconds;
    const ahead = (seconds: number) => {
      const plan = structuredClone(planFor(policy, "iskra-docs-behind"));
      plan.remote.generated_at = new Date(AT_NOON + seconds * 1000).toISOString().replace(".000Z", "Z");
      plan.digest = planDigest(plan);
      return judge(bundleWith(plan));
    };
    const atTolerance = ahead(skew);
    expect(atTolerance.verdict).toBe("eligible_repair_dry_run");
    expect(atTolerance.reasons.map((r) => r.code)).toEqual(["dry_run_only"]);
    const beyond = ahead(skew + 1);
    expect(beyond.verdict).toBe("blocked");
    expect(beyond.reasons.map((r) => [r.code, r.path])).toEqual([["evidence_from_future", "bundle.evidence[1].data.remote.generated_at"]]);
  });

  it("judges both manifests of a late-dated item, the remote one first", () => {
    const plan = structuredClone(planFor(policy, "iskra-docs-behind"));
    plan.local.generated_at = "2026-11-21T10:20:00Z";
    plan.remote.generated_at = "2026-11-21T10:40:00Z";
    plan.digest = planDigest(plan);
    const bundle = bundleWith(plan);
    bundle.evidence[1]!.generated_at = "2026-11-21T11:50:00Z";
    const verdict = judge(bundle);
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons.map((r) => [r.code, r.path])).toEqual([
      ["evidence_stale", "bundle.evidence[1].data.remote.generated_at"],
      ["evidence_stale", "bundle.evidence[1].data.local.generated_at"],
    ]);
    expect(verdict.reasons[1]!.message).toMatch(/compares a local manifest taken 1h40m ago, over the policy's 1h maximum for its kind/);
  });
});

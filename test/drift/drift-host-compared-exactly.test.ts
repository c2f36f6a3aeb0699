import { describe, expect, it } from "vitest";
import { planDigest } from "../../src/drift/plan-digest.js";
import type { EvidenceBundle } from "../../src/evidence/bundle-schema.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { inputOf } from "../helpers/bundles.js";
import { bundleWith, planBetween } from "./fixture-set.js";

const policy = await readPolicy();
const AT_NOON = Date.parse("2026-11-21T12:00:00Z");

const judge = (bundle: EvidenceBundle) => evaluate(inputOf(bundle), policy, AT_NOON);

describe("the drift plan's host against the candidate's target host", () => {
  it("refuses a plan taken on a host whose label differs from the target's only in case", () => {
    const plan = planBetween(policy, { remoteHost: "Iskra", local: { "README.md": { content: "# iskra-openclaw, edited\n" } } });
    const bundle = bundleWith(plan);
    expect([bundle.candidate.target?.host, plan.remote.host]).toEqual(["iskra", "Iskra"]);
    const verdict = judge(bundle);
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons.map((r) => [r.code, r.path])).toEqual([["drift_plan_host_mismatch", "bundle.evidence[1].data.remote.host"]]);
    expect(verdict.reasons[0]!.message).toMatch(/compares the repository with host `Iskra`, but the bundle's candidate targets host `iskra`/);
  });

  it("puts the host mismatch before the plan's other refusals", () => {
    const plan = structuredClone(planBetween(policy, { remoteHost: "forge", local: { "README.md": { content: "# iskra-openclaw, edited\n" } } }));
    plan.executor = "scp -r . root@forge:/opt/iskra-openclaw/";
    plan.digest = planDigest(plan);
    const verdict = judge(bundleWith(plan));
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons.map((r) => [r.code, r.path])).toEqual([
      ["drift_plan_host_mismatch", "bundle.evidence[1].data.remote.host"],
      ["drift_plan_policy_mismatch", "bundle.evidence[1].data.executor"],
    ]);
  });
});

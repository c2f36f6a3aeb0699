import { describe, expect, it } from "vitest";
import { planDigest } from "../../src/drift/plan-digest.js";
import type { DriftPlan } from "../../src/drift/plan-schema.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { inputOf } from "../helpers/bundles.js";
import { bundleWith, planFor } from "./fixture-set.js";

const policy = await readPolicy();
const AT_NOON = Date.parse("2026-11-21T12:00:00Z");

const judge = (plan: DriftPlan) => evaluate(inputOf(bundleWith(plan)), policy, AT_NOON);

describe("a drift plan's postchecks must be the policy's, one for one", () => {
  it("refuses a re-digested plan that folds two of the policy's postchecks into one entry with a line break", () => {
    const own = policy.drift!.postchecks;
    expect(own.length).toBeGreaterThanOrEqual(2);
    const plan = structuredClone(planFor(policy, "iskra-docs-behind"));
    plan.postchecks = [`${own[0]}\n${own[1]}`, ...own.slice(2)];
    plan.digest = planDigest(plan);
    expect(plan.postchecks).toHaveLength(own.length - 1);
    const verdict = judge(plan);
    expect(verdict.reasons.filter((r) => r.code === "drift_plan_policy_mismatch").map((r) => r.path)).toEqual(["bundle.evidence[1].data.postchecks"]);
    expect(verdict.verdict).toBe("blocked");
  });
});

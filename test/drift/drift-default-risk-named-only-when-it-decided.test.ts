import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { addPlanToBundle } from "../../src/drift/plan-item.js";
import type { DriftPlan } from "../../src/drift/plan-schema.js";
import { parsePolicy } from "../../src/policy/parse-policy.js";
import type { Policy } from "../../src/policy/policy.js";
import { readPolicy, SHIPPED_POLICY_PATH } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { inputOf } from "../helpers/bundles.js";
import { iskraBundle, PLANNED_AT, planBetween } from "./fixture-set.js";

const policy = await readPolicy();
const AT_NOON = Date.parse("2026-11-21T12:00:00Z");

function withDefaultRisk(risk: "low" | "high"): Policy {
  const parsed = parsePolicy(Buffer.from(readFileSync(SHIPPED_POLICY_PATH, "utf8").replace('default_risk = "medium"', `default_risk = "${risk}"`)));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
  expect(parsed.policy.drift!.defaultRisk).toBe(risk);
  return parsed.policy;
}

function reasons(plan: DriftPlan, withPolicy: Policy) {
  const added = addPlanToBundle(iskraBundle(), plan, PLANNED_AT);
  if (!added.ok) throw new Error(added.problem);
  return evaluate(inputOf(added.bundle), withPolicy, AT_NOON).reasons;
}

describe("a medium-risk reason blames the policy's default_risk only when that default made the file medium", () => {
  it("not when the plan's own medium label outranks the gate's low default", () => {
    const low = withDefaultRisk("low");
    const plan = planBetween(policy, { local: { "bin/openclaw-helper": { content: "helper\n" } } });
    expect(plan.files.map((f) => [f.path, f.risk, f.rule])).toEqual([["bin/openclaw-helper", "medium", null]]);
    expect(reasons(plan, low).map((r) => [r.code, r.message])).toEqual([
      [
        "drift_medium_risk",
        "`deploy-drift-probe` evidence[1] (`iskra`) changes 1 medium-risk file(s): `bin/openclaw-helper`; only low-risk drift may go to a dry run unreviewed, so the operator reviews them before any apply",
      ],
    ]);
  });

  it("not for an unmatched file a high default makes high risk", () => {
    const high = withDefaultRisk("high");
    const plan = planBetween(policy, { local: { "src/gateway/probe.mjs": { content: "export const probe = () => 1;\n" }, "bin/openclaw-helper": { content: "helper\n" } } });
    expect(reasons(plan, high).map((r) => [r.code, r.path, r.message])).toEqual([
      ["drift_high_risk", "bundle.evidence[1].data.files[0]", "`deploy-drift-probe` evidence[1] (`iskra`) changes 1 high-risk file(s): `bin/openclaw-helper`; the operator reviews them before any apply"],
      [
        "drift_medium_risk",
        "bundle.evidence[1].data.files[1]",
        "`deploy-drift-probe` evidence[1] (`iskra`) changes 1 medium-risk file(s): `src/gateway/probe.mjs`; only low-risk drift may go to a dry run unreviewed, so the operator reviews them before any apply",
      ],
    ]);
  });
});

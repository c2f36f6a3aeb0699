import { describe, expect, it } from "vitest";
import { PLAN_SCHEMA_ID } from "../../src/drift/plan-schema.js";
import { addPlanToBundle } from "../../src/drift/plan-item.js";
import { validatePlan } from "../../src/drift/validate-plan.js";
import type { EvidenceBundle } from "../../src/evidence/bundle-schema.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { inputOf } from "../helpers/bundles.js";
import { iskraBundle, PLANNED_AT, planFor } from "./fixture-set.js";

const policy = await readPolicy();
const AT_NOON = Date.parse("2026-11-21T12:00:00Z");

function docsBehind(): EvidenceBundle {
  const added = addPlanToBundle(iskraBundle(), planFor(policy, "iskra-docs-behind"), PLANNED_AT);
  if (!added.ok) throw new Error(added.problem);
  return added.bundle;
}

const judge = (bundle: EvidenceBundle) => evaluate(inputOf(bundle), policy, AT_NOON);

describe("refusals of a drift item's data name the field at fault", () => {
  it("data of another schema: refused at `schema`, naming both schemas", () => {
    const bundle = docsBehind();
    bundle.evidence[1]!.data["schema"] = "patchwarden.drift_plan.v0";
    const verdict = judge(bundle);
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons.map((r) => [r.code, r.path, r.message])).toEqual([
      [
        "drift_plan_invalid",
        "bundle.evidence[1].data.schema",
        `\`deploy-drift-probe\` evidence[1] (\`iskra\`) holds no drift plan: its data has \`schema\` \`patchwarden.drift_plan.v0\`, not \`${PLAN_SCHEMA_ID}\`; make the plan with \`patchwarden drift plan --format item\` (or \`--into\` the bundle)`,
      ],
    ]);
  });

  it("a plan edited without its digest: refused at `digest`", () => {
    const bundle = docsBehind();
    bundle.evidence[1]!.data["executor"] = "scp -r . root@iskra:/opt/iskra-openclaw/";
    const verdict = judge(bundle);
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons.map((r) => [r.code, r.path])).toEqual([["drift_plan_digest_mismatch", "bundle.evidence[1].data.digest"]]);
    expect(verdict.reasons[0]!.message).toMatch(/^`deploy-drift-probe` evidence\[1\] \(`iskra`\) records digest `sha256:[0-9a-f]{64}`, but its contents hash to `sha256:[0-9a-f]{64}`; the plan was edited after it was made, so make it again$/);
  });
});

describe("a badly broken plan gives ten reasons, not all its problems", () => {
  it("ten of eleven or more problems, in the validator's order", () => {
    const bundle = docsBehind();
    const data = bundle.evidence[1]!.data as Record<string, unknown>;
    for (const key of ["mode", "executor", "risk", "summary", "digest", "planned_at", "drift", "counts", "hard_manual", "postchecks", "receipt_fields", "prechecks", "files"]) data[key] = 7;
    const found = validatePlan(data, "bundle.evidence[1].data");
    if (found.ok) throw new Error("the broken plan passed validation");
    expect(found.diagnostics.length).toBeGreaterThan(10);
    const invalid = judge(bundle).reasons.filter((r) => r.code === "drift_plan_invalid");
    expect(invalid).toHaveLength(10);
    expect(invalid.map((r) => r.path)).toEqual(found.diagnostics.slice(0, 10).map((d) => d.path));
  });
});

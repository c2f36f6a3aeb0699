import { describe, expect, it } from "vitest";
import { planDigest } from "../../src/drift/plan-digest.js";
import { addPlanToBundle } from "../../src/drift/plan-item.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { inputOf } from "../helpers/bundles.js";
import { iskraBundle, laxRules, PLANNED_AT, planBetween } from "./fixture-set.js";

const policy = await readPolicy();
const AT_NOON = Date.parse("2026-11-21T12:00:00Z");

describe("the gate judges again a file below a folder that becomes a link", () => {
  it("holds a file below a folder the repository holds as a link, however low the plan labels it", () => {
    // The repository replaced docs/ with a link; the host still has docs/runbook.md below it.
    const made = planBetween(policy, { local: { "docs/runbook.md": null, docs: { content: "", link: "/etc" } }, rules: laxRules(policy) });
    const plan = structuredClone(made);
    for (const file of plan.files) Object.assign(file, { risk: "low", hard_manual: null, rule: null, risk_note: "no risk rule matches: the policy's default" });
    plan.risk = "low";
    plan.hard_manual = [];
    plan.digest = planDigest(plan);
    expect(plan.files.map((f) => [f.path, f.local?.type ?? null, f.remote?.type ?? null])).toEqual([
      ["docs", "symlink", null],
      ["docs/runbook.md", null, "file"],
    ]);
    const added = addPlanToBundle(iskraBundle(), plan, PLANNED_AT);
    if (!added.ok) throw new Error(added.problem);
    const verdict = evaluate(inputOf(added.bundle), policy, AT_NOON);
    expect(verdict.verdict).toBe("needs_human");
    expect(verdict.reasons.map((r) => [r.code, r.message])).toEqual([
      ["drift_high_risk", "`deploy-drift-probe` evidence[1] (`iskra`) changes 2 high-risk file(s): `docs`, `docs/runbook.md`; the operator reviews them before any apply"],
    ]);
  });
});

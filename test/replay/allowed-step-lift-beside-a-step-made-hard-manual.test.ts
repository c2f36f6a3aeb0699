import { describe, expect, it } from "vitest";
import { describeCheck, liftedChecks } from "../../src/replay/lifted-checks.js";
import { policyLoosenings } from "../../src/replay/policy-loosenings.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";
import { policyOf, SHIPPED } from "../helpers/policy-text.js";

const DIAGNOSTICS_ACTIONS = 'allowed_actions = ["doctor.lint", "health.probe", "logs.collect"]';
const ANCHOR = "[hard_manual.service_restart]";

describe("liftedChecks: a step made hard-manual supersedes the allowed-actions check of that step only", () => {
  it("step 1's action newly allowed is a lifted check even though step 0's action became hard-manual", () => {
    const running = policyOf(SHIPPED);
    expect(SHIPPED).toContain(DIAGNOSTICS_ACTIONS);
    expect(SHIPPED).toContain(ANCHOR);
    // The candidate makes cache.compact hard-manual (stricter) and allows cache.vacuum (looser).
    const candidate = policyOf(
      SHIPPED.replace(ANCHOR, `[hard_manual.maintenance]\ndescription = "Maintenance by hand."\nactions = ["cache.compact"]\n\n${ANCHOR}`).replace(
        DIAGNOSTICS_ACTIONS,
        'allowed_actions = ["doctor.lint", "health.probe", "logs.collect", "cache.vacuum"]',
      ),
    );
    expect(policyLoosenings(running, candidate).map((l) => l.path)).toEqual(["policy.repair_classes.runtime_diagnostics.allowed_actions"]);

    const bundle = bundleOf("runtime_diagnostics", [item("runtime-truth-report", { subject: "openclaw-gateway" }), item("autoheal-dashboard", { subject: "iskra" })], {
      target: { host: "iskra", service: "openclaw-gateway.service" },
      plan: { steps: [{ action: "cache.compact" }, { action: "cache.vacuum" }] },
    });
    const input = inputOf(bundle);
    const before = evaluate(input, running, NOW).reasons;
    const after = evaluate(input, candidate, NOW).reasons;
    const checks = (reasons: typeof before) => reasons.filter((r) => r.severity !== "info").map(describeCheck);
    expect(checks(before)).toEqual(["plan_step_not_allowed at bundle.candidate.plan.steps[0].action", "plan_step_not_allowed at bundle.candidate.plan.steps[1].action"]);
    expect(checks(after)).toEqual(["plan_step_hard_manual at bundle.candidate.plan.steps[0].action"]);

    // Step 0's check is superseded by its new hard-manual hold; step 1's was lifted by the added action.
    expect(liftedChecks(before, after).map(describeCheck)).toEqual(["plan_step_not_allowed at bundle.candidate.plan.steps[1].action"]);
  });
});

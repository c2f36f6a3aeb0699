import { describe, expect, it } from "vitest";
import { sha256Digest } from "../../src/integrity/digest.js";
import { parsePolicy } from "../../src/policy/parse-policy.js";
import { compilePolicy } from "../../src/policy/policy.js";
import { REQUIRED_HARD_MANUAL_ACTIONS } from "../../src/policy/required-hard-manual.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";
import { policyProblems, SHIPPED } from "../helpers/policy-text.js";

const RESTART_ACTIONS = 'actions = ["service.restart", "service.start", "service.stop", "service.reload", "systemd.daemon_reload", "gateway.restart"]';
const DIAGNOSTICS_ALLOWED = 'allowed_actions = ["doctor.lint", "health.probe", "logs.collect"]';


const restartPlan = () => inputOf(bundleOf("runtime_diagnostics", [item("runtime-truth-report"), item("autoheal-dashboard")], { plan: { steps: [{ action: "service.restart" }] } } as never));

describe("the required hard-manual classes keep their actions", () => {
  it("refuses a required class emptied of its actions, and the restart it would let into a read-only class", () => {
    expect(SHIPPED).toContain(RESTART_ACTIONS);
    const toml = SHIPPED.replace(RESTART_ACTIONS, 'actions = ["service.noop"]').replace(DIAGNOSTICS_ALLOWED, 'allowed_actions = ["doctor.lint", "health.probe", "logs.collect", "service.restart"]');
    expect(policyProblems(toml)).toEqual([
      "policy.hard_manual.service_restart.actions: missing `service.restart`, `service.start`, `service.stop`, `service.reload`, `systemd.daemon_reload`, `gateway.restart`; the operator owns them by the product boundary, so add them back (a policy may add actions, never drop these)",
      "policy.repair_classes.runtime_diagnostics.allowed_actions[3]: `service.restart` is a hard-manual action of `service_restart`; it cannot be allowed for a dry run, list the class in `hard_manual` instead",
    ]);
  });

  it("names the one action dropped from each required class", () => {
    for (const [name, actions] of Object.entries(REQUIRED_HARD_MANUAL_ACTIONS)) {
      const line = new RegExp(`(\\[hard_manual\\.${name}\\]\\ndescription = .*\\nactions = \\[.*)"${actions[0]!.replace(".", "\\.")}", `);
      expect(SHIPPED, name).toMatch(line);
      expect(policyProblems(SHIPPED.replace(line, "$1")), name).toEqual([
        `policy.hard_manual.${name}.actions: missing \`${actions[0]}\`; the operator owns it by the product boundary, so add it back (a policy may add actions, never drop these)`,
      ]);
    }
  });

  it("lets a policy add actions to a required class", () => {
    const parsed = parsePolicy(Buffer.from(SHIPPED.replace(RESTART_ACTIONS, RESTART_ACTIONS.replace('"gateway.restart"]', '"gateway.restart", "unit.restart"]'))));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.policy.hardManualActions.get("unit.restart")).toBe("service_restart");
  });

  it("keeps the boundary's actions hard-manual even in a document that skipped validation", () => {
    const parsed = parsePolicy(Buffer.from(SHIPPED));
    if (!parsed.ok) throw new Error("shipped policy invalid");
    const document = structuredClone(parsed.policy.document);
    document.hard_manual["service_restart"]!.actions = ["service.noop"];
    document.repair_classes["runtime_diagnostics"]!.allowed_actions.push("service.restart");
    const verdict = evaluate(restartPlan(), compilePolicy(document, sha256Digest("unchecked")), NOW);
    expect(verdict.verdict).toBe("needs_human");
    expect(verdict.reasons.map((r) => r.code)).toContain("plan_step_hard_manual");
  });
});

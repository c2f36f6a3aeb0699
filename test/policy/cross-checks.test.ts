import fc from "fast-check";
import { parse as parseToml } from "smol-toml";
import { describe, expect, it } from "vitest";
import { crossCheckPolicy } from "../../src/policy/cross-checks.js";
import { policyProblems, SHIPPED } from "../helpers/policy-text.js";



const dropDestructive = (toml: string) => toml.replace(/\[hard_manual\.destructive\]\n[\s\S]*?\n\n/, "").replace('hard_manual = ["destructive"]', 'hard_manual = ["deploy_apply_sync"]');

describe("cross-section checks run even when a field is invalid", () => {
  it("reports a dropped hard-manual class even when another key has a typo", () => {
    expect(policyProblems(dropDestructive(SHIPPED).replace('default_risk = "medium"', 'default_risk = "meduim"'))).toEqual([
      "policy.drift.default_risk: unknown value `meduim`; did you mean `medium`?",
      "policy.hard_manual: missing hard-manual class `destructive`; the operator owns it by the product boundary, so every policy must name its actions",
    ]);
  });

  it("reports every cross-reference problem beside type errors in the same classes", () => {
    const toml = SHIPPED
      .replace('hard_manual = ["service_restart"]\nexecutor = "the operator: systemctl', 'hard_manual = ["service_restrat"]\nexecutor = "the operator: systemctl')
      .replace('mutation = true\nrisk = "high"\nrequires = ["runtime-truth-report", "autoheal-dashboard", "incident-packet"]', 'mutation = true\nrisk = "severe"\nrequires = ["runtime-truth-report", "autoheal-dashboard", "incident-packet"]')
      .replace('allowed_actions = ["doctor.lint", "health.probe", "logs.collect"]', 'allowed_actions = ["doctor.lint", "service.restart", 7]')
      .replace('{ local = "", target = "/opt/iskra-openclaw/" }', '{ local = "", target = "/opt/iskra-openclaw/" }, { local = "", target = "/srv/" }')
      .replace('mode_change_risk = "high"', 'mode_change_risk = 3')
      .replace('skew_tolerance = "2m"', 'skew_tolerance = "soon"');
    expect(policyProblems(toml)).toEqual([
      "policy.clock.skew_tolerance: `soon` is not a duration; write it like `90s`, `15m`, `1h30m` or `7d`",
      "policy.repair_classes.runtime_diagnostics.allowed_actions[2]: expected a string, got `7`",
      expect.stringMatching(/^policy\.repair_classes\.gateway_restart\.risk: unknown value `severe`/),
      "policy.drift.mode_change_risk: unknown value `3`; expected one of `low`, `medium`, `high`",
      "policy.repair_classes.runtime_diagnostics.allowed_actions[1]: `service.restart` is a hard-manual action of `service_restart`; it cannot be allowed for a dry run, list the class in `hard_manual` instead",
      "policy.repair_classes.gateway_restart.hard_manual[0]: unknown hard-manual class `service_restrat`; define it under [hard_manual.service_restrat] or remove it",
      "policy.drift.paths[2].local: `` is mapped already by paths[1], which wins; remove one",
    ]);
  });

  it("names a class that is not an identifier clearly, and still checks the rest", () => {
    const toml = dropDestructive(SHIPPED).replace("[repair_classes.gateway_restart]", "[repair_classes.Gateway_Restart]").replace("[hard_manual.runtime_upgrade]", "[hard_manual.Runtime-Upgrade]");
    const found = policyProblems(toml);
    expect(found).toEqual(
      expect.arrayContaining([
        "policy.repair_classes.Gateway_Restart: `Gateway_Restart` cannot name a class (it is not an identifier); rename the table with lowercase letters, digits and `_`, like `gateway_restart`",
        "policy.hard_manual.Runtime-Upgrade: `Runtime-Upgrade` cannot name a class (it is not an identifier); rename the table with lowercase letters, digits and `_`",
        "policy.hard_manual: missing hard-manual class `destructive`; the operator owns it by the product boundary, so every policy must name its actions",
        "policy.hard_manual: missing hard-manual class `runtime_upgrade`; the operator owns it by the product boundary, so every policy must name its actions",
      ]),
    );
    expect(found.join("\n")).not.toMatch(/Invalid key/);
  });

  it("never throws on partly invalid input, whatever stands where a section should", () => {
    const base = parseToml(SHIPPED) as Record<string, unknown>;
    const paths: string[][] = [[], ["hard_manual"], ["hard_manual", "service_restart"], ["hard_manual", "service_restart", "actions"], ["repair_classes"], ["repair_classes", "gateway_restart"], ["repair_classes", "gateway_restart", "hard_manual"], ["repair_classes", "gateway_restart", "allowed_actions"], ["drift"], ["drift", "paths"], ["drift", "risk_rules"]];
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.anything({ withNullPrototype: true, withDate: true }), (path, value) => {
        const raw = structuredClone(base);
        if (path.length === 0) {
          expect(() => crossCheckPolicy(value)).not.toThrow();
          return;
        }
        let at: Record<string, unknown> = raw;
        for (const key of path.slice(0, -1)) at = at[key] as Record<string, unknown>;
        at[path[path.length - 1]!] = value;
        expect(() => crossCheckPolicy(raw)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });
});

import { describe, expect, it } from "vitest";
import { policyLoosenings } from "../../src/replay/policy-loosenings.js";
import { edited, policyOf, SHIPPED } from "../helpers/policy-text.js";

const shipped = policyOf(SHIPPED);
const CONFIG_REPAIR = `requires = ["runtime-truth-report", "autoheal-dashboard", "openclaw-upgrade-simulator", "remediation-proposal"]
hard_manual = ["deploy_apply_sync", "service_restart"]`;

describe("policyLoosenings: several entries gone from one setting are all named in one change", () => {
  it("two required kinds and both hard-manual classes of a class", () => {
    const candidate = edited([CONFIG_REPAIR, 'requires = ["runtime-truth-report", "remediation-proposal"]\nhard_manual = []'], ["mutation = true\nrisk = \"medium\"\nrequires = [\"runtime-truth-report\", \"remediation-proposal\"]", "mutation = false\nrisk = \"medium\"\nrequires = [\"runtime-truth-report\", \"remediation-proposal\"]"]);
    expect(policyLoosenings(shipped, candidate)).toEqual([
      { path: "policy.repair_classes.config_repair.mutation", change: "turned from `true` to `false`: the class no longer needs the operator (`mutation_requires_operator`)" },
      { path: "policy.repair_classes.config_repair.hard_manual", change: "`deploy_apply_sync`, `service_restart` removed: the class no longer touches them for the gate (`hard_manual_class`)" },
      { path: "policy.repair_classes.config_repair.requires", change: "`autoheal-dashboard`, `openclaw-upgrade-simulator` removed: a bundle without them is no longer blocked (`evidence_missing`)" },
    ]);
  });

  it("two allowed actions added", () => {
    const candidate = edited(['allowed_actions = ["doctor.lint", "health.probe", "logs.collect"]', 'allowed_actions = ["doctor.lint", "health.probe", "logs.collect", "cache.vacuum", "logs.rotate"]']);
    expect(policyLoosenings(shipped, candidate)).toEqual([
      { path: "policy.repair_classes.runtime_diagnostics.allowed_actions", change: "`cache.vacuum`, `logs.rotate` added: a plan step naming one no longer needs a human (`plan_step_not_allowed`)" },
    ]);
  });

  it("every postcheck of a class, and two of the drift lane's", () => {
    const candidate = edited(
      ['postchecks = ["/readyz answers ready and the gateway is not draining", "openclaw health --json reports ok"]', "postchecks = []"],
      [
        'postchecks = [\n  "a fresh patchwarden drift manifest of the host has the plan\'s local manifest digest",\n  "openclaw health --json reports ok with every channel probe ok (a skip is not a pass)",\n',
        "postchecks = [\n",
      ],
    );
    expect(policyLoosenings(shipped, candidate)).toEqual([
      { path: "policy.repair_classes.gateway_restart.postchecks", change: "`/readyz answers ready and the gateway is not draining`, `openclaw health --json reports ok` removed: an approved repair no longer has to pass them" },
      // Long postchecks are shortened in the message; both are named.
      { path: "policy.drift.postchecks", change: expect.stringMatching(/^`a fresh patchwarden drift manifest[^`]*`, `openclaw health --json reports ok with every channel probe[^`]*` removed: an apply no longer has to pass them$/) },
    ]);
  });
});

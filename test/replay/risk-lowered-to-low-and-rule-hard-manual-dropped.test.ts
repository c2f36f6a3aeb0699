import { describe, expect, it } from "vitest";
import { policyLoosenings } from "../../src/replay/policy-loosenings.js";
import { edited, policyOf, SHIPPED } from "../helpers/policy-text.js";

const shipped = policyOf(SHIPPED);
const UNIT_RULE = '{ glob = "**/*.{service,socket,timer,target,path,mount}", risk = "high", hard_manual = "service_restart", description = "systemd units: a change takes a daemon-reload and a restart" },';
const CONFIG_RULE = '{ glob = "config/**", risk = "medium", hard_manual = "service_restart", description = "runtime configuration, read at start: a change takes effect only with a restart" },';
const CODE_RULE = '{ glob = "**/*.{js,mjs,cjs,ts,py,sh,json,json5,yaml,yml,toml}", risk = "medium", description = "code and data the runtime loads" },';

describe("policyLoosenings: a risk lowered all the way to low is listed", () => {
  it("a repair class lowered from high to low", () => {
    const candidate = edited(['mutation = true\nrisk = "high"\nrequires = ["runtime-truth-report", "autoheal-dashboard", "incident-packet"]', 'mutation = true\nrisk = "low"\nrequires = ["runtime-truth-report", "autoheal-dashboard", "incident-packet"]']);
    expect(policyLoosenings(shipped, candidate)).toEqual([
      { path: "policy.repair_classes.gateway_restart.risk", change: "lowered from `high` to `low`: the operator is shown less risk" },
    ]);
  });

  it("a repair class lowered from medium to low", () => {
    const candidate = edited(['hard_manual = ["destructive"]', 'hard_manual = ["destructive"]\nrisk = "low"'], ['risk = "medium"\nrequires = ["runtime-truth-report", "autoheal-dashboard", "remediation-proposal"]', 'requires = ["runtime-truth-report", "autoheal-dashboard", "remediation-proposal"]']);
    expect(policyLoosenings(shipped, candidate)).toEqual([
      { path: "policy.repair_classes.cache_cleanup.risk", change: "lowered from `medium` to `low`: the operator is shown less risk" },
    ]);
  });

  it("[drift] mode_change_risk lowered from high to low", () => {
    expect(policyLoosenings(shipped, edited(['mode_change_risk = "high"', 'mode_change_risk = "low"']))).toEqual([
      { path: "policy.drift.mode_change_risk", change: "lowered from `high` to `low`: a mode change or risky mode raises a file less" },
    ]);
  });

  it("[drift] default_risk lowered from high to low", () => {
    const running = edited(['default_risk = "medium"', 'default_risk = "high"']);
    expect(policyLoosenings(running, edited(['default_risk = "medium"', 'default_risk = "low"']))).toEqual([
      { path: "policy.drift.default_risk", change: "lowered from `high` to `low`: a file no rule matches is less risky" },
    ]);
  });

  it("a risk rule lowered from medium to low", () => {
    expect(policyLoosenings(shipped, edited([CODE_RULE, CODE_RULE.replace('risk = "medium"', 'risk = "low"')]))).toEqual([
      { path: "policy.drift.risk_rules[11].risk", change: "`**/*.{js,mjs,cjs,ts,py,sh,json,json5,yaml,yml,toml}` lowered from `medium` to `low`" },
    ]);
  });
});

describe("policyLoosenings: a risk rule's hard-manual class taken away", () => {
  it("a high rule that keeps its risk but names no hard-manual class any more is listed", () => {
    const candidate = edited([UNIT_RULE, UNIT_RULE.replace(', hard_manual = "service_restart"', "")]);
    expect(policyLoosenings(shipped, candidate)).toEqual([
      { path: "policy.drift.risk_rules[0].hard_manual", change: "`**/*.{service,socket,timer,target,path,mount}` no longer names hard-manual class `service_restart` (`drift_hard_manual`)" },
    ]);
  });

  it("a medium rule that keeps its risk but drops its hard-manual class is listed", () => {
    const candidate = edited([CONFIG_RULE, CONFIG_RULE.replace(', hard_manual = "service_restart"', "")]);
    expect(policyLoosenings(shipped, candidate).map((l) => l.path)).toEqual(["policy.drift.risk_rules[8].hard_manual"]);
  });

  it("a removed risk rule that named no hard-manual class is listed", () => {
    expect(policyLoosenings(shipped, edited([`\n  ${CODE_RULE}`, ""]))).toEqual([
      { path: "policy.drift.risk_rules", change: "`**/*.{js,mjs,cjs,ts,py,sh,json,json5,yaml,yml,toml}` (medium) removed: the files it matched fall to a later rule or `default_risk`" },
    ]);
  });
});

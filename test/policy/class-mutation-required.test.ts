import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parsePolicy } from "../../src/policy/parse-policy.js";
import { SHIPPED_POLICY_PATH } from "../../src/policy/read-policy.js";

// A repair class must say whether it mutates the runtime: left out, it is refused, never read as
// the laxer `mutation = false`.

const SHIPPED = readFileSync(SHIPPED_POLICY_PATH, "utf8");
const DIAGNOSTICS_HEAD = 'mutation = false\nrisk = "low"\nrequires = ["runtime-truth-report", "autoheal-dashboard"]';
const RESTART_CLASS = 'mutation = true\nrisk = "high"\nrequires = ["runtime-truth-report", "autoheal-dashboard", "incident-packet"]\nhard_manual = ["service_restart"]\n';

describe("a repair class without `mutation`", () => {
  it("is invalid (no default), with the path of the missing key", () => {
    expect(SHIPPED).toContain(DIAGNOSTICS_HEAD);
    const parsed = parsePolicy(Buffer.from(SHIPPED.replace(DIAGNOSTICS_HEAD, DIAGNOSTICS_HEAD.replace("mutation = false\n", ""))));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.diagnostics.map((d) => d.path)).toContain("policy.repair_classes.runtime_diagnostics.mutation");
  });

  it("is invalid for a mutating class too: leaving `mutation = true` out never makes it non-mutating", () => {
    expect(SHIPPED).toContain(RESTART_CLASS);
    const text = SHIPPED.replace(RESTART_CLASS, RESTART_CLASS.replace("mutation = true\n", "").replace('hard_manual = ["service_restart"]\n', ""));
    const parsed = parsePolicy(Buffer.from(text));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.diagnostics.map((d) => d.path)).toContain("policy.repair_classes.gateway_restart.mutation");
  });
});

import { describe, expect, it } from "vitest";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";

// What the candidate's own class and plan say: every hard-manual class a repair class touches is
// named with the policy's description of it; each planned action is judged exactly as written and
// its reason points at that step (and, for steps carried in evidence, at the item).
const policy = await readPolicy();
const judge = (bundle: unknown) => evaluate(inputOf(bundle), policy, NOW);

describe("hard-manual classes of the candidate's repair class", () => {
  it("credential_rotation touches two hard-manual classes: one reason each, with the policy's description", () => {
    const v = judge(bundleOf("credential_rotation", [item("runtime-truth-report", { subject: "gw" }), item("incident-packet", { subject: "inc" }), item("remediation-proposal", { subject: "rp", data: { proposed_class: "credential_rotation" } })]));
    expect(v.verdict).toBe("needs_human");
    const hardManual = v.reasons.filter((r) => r.code === "hard_manual_class");
    expect(hardManual.map((r) => [r.path, r.message])).toEqual([
      ["bundle.candidate.repair_class", "repair class `credential_rotation` touches hard-manual class `auth_network_change` — changing credentials, tokens, keys, firewall, DNS, TLS or listening addresses; the operator owns it"],
      ["bundle.candidate.repair_class", "repair class `credential_rotation` touches hard-manual class `service_restart` — starting, stopping or restarting a service (the OpenClaw gateway, systemd units); the operator owns it"],
    ]);
  });
});

describe("the candidate's planned steps", () => {
  const evidence = () => [item("runtime-truth-report", { subject: "gw" }), item("autoheal-dashboard", { subject: "iskra" })];

  it("an allowed action written with a trailing space is not the allowed action: it holds, at its own step", () => {
    const v = judge(bundleOf("runtime_diagnostics", evidence(), { plan: { steps: [{ action: "health.probe" }, { action: "doctor.lint " }] } }));
    expect(v.verdict).toBe("needs_human");
    expect(v.reasons.filter((r) => r.severity !== "info").map((r) => [r.code, r.path])).toEqual([["plan_step_not_allowed", "bundle.candidate.plan.steps[1].action"]]);
    expect(v.reasons[0]!.message).toBe("plan step 1 `doctor.lint ` is not an allowed action of `runtime_diagnostics` (allowed: `doctor.lint`, `health.probe`, `logs.collect`); a human must judge it");
    expect(v.reasons[0]!.evidence).toBeUndefined();
  });

  it("a hard-manual action in the third step is named at steps[2]", () => {
    const v = judge(bundleOf("runtime_diagnostics", evidence(), { plan: { steps: [{ action: "health.probe" }, { action: "logs.collect" }, { action: "gateway.restart" }] } }));
    expect(v.reasons.filter((r) => r.severity !== "info").map((r) => [r.code, r.path])).toEqual([["plan_step_hard_manual", "bundle.candidate.plan.steps[2].action"]]);
    expect(v.reasons[0]!.message).toBe("plan step 2 `gateway.restart` is a hard-manual action of `service_restart`; the operator owns it");
  });

  it("a disallowed step carried in plan evidence names the item that carries it", () => {
    const plan = item("supervised-repair-plan", { subject: "runtime_diagnostics", data: { steps: [{ action: "health.probe" }, { action: "cache.warm" }] } });
    const v = judge(bundleOf("runtime_diagnostics", [...evidence(), plan]));
    expect(v.verdict).toBe("needs_human");
    const step = v.reasons.find((r) => r.code === "plan_step_not_allowed");
    expect(step?.path).toBe("bundle.evidence[2].data.steps[1].action");
    expect(step?.evidence).toEqual({ index: 2, kind: "supervised-repair-plan", subject: "runtime_diagnostics" });
  });
});

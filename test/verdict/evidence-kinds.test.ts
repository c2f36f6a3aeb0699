import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DEFAULT_LIMITS } from "../../src/evidence/artifact-bytes.js";
import { assembleInput, openBundle } from "../../src/evidence/open-bundle.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { MAX_STEP_DEPTH } from "../../src/verdict/rules/planned-steps.js";
import type { Verdict } from "../../src/verdict/verdict-types.js";
import { fixture } from "../helpers/paths.js";

// Fidelity of the engine to the evidence kinds besides runtime-truth, safe-update dry-runs and
// upgrade-simulator output (docs/iskra-openclaw-evidence-bundle-spec.md): plan steps and rollbacks
// carried in evidence, a proposal's class, an incident still open, dashboard checks that do not
// say `ok`, and acceptance claimed in the drift lane's receipt words. Each case starts from the
// shipped example bundle (runtime_diagnostics, eligible at NOW) and adds one thing; a restart, a
// deploy or a destructive action, wherever the evidence writes it, is the operator's.
const NOW = Date.parse("2026-11-21T12:00:00Z");
const policy = await readPolicy();

function exampleBundle(): Record<string, any> {
  return parse(readFileSync(fixture("examples/runtime-diagnostics.bundle.yaml"), "utf8")) as Record<string, any>;
}
function judge(bundle: unknown): Verdict {
  const bytes = Buffer.from(JSON.stringify(bundle, null, 2));
  return evaluate(assembleInput(openBundle("b.json", bytes, DEFAULT_LIMITS), new Map(), DEFAULT_LIMITS), policy, NOW);
}
const at = "2026-11-21T11:50:00Z";
const plan = (data: Record<string, unknown>) => ({ kind: "supervised-repair-plan", subject: "runtime_diagnostics", generated_at: at, status: "pass", data });
const proposal = (data: Record<string, unknown>, status = "pass") => ({ kind: "remediation-proposal", subject: "gateway-503", generated_at: at, status, data: { proposal_id: "RP-1", author: "iskra", ...data } });
const withEvidence = (...extra: unknown[]) => {
  const b = exampleBundle();
  b.evidence.push(...extra);
  return b;
};
const PLAN = 3; // the index withEvidence gives the first added item
const INCIDENT = 2;
const AUTOHEAL = 1;
const notInfo = (v: Verdict) => v.reasons.filter((r) => r.severity !== "info");
const codes = (v: Verdict) => notInfo(v).map((r) => r.code);
const paths = (v: Verdict) => notInfo(v).map((r) => r.path);

describe("baseline", () => {
  it("the shipped example, and a plan of allowed steps with every documented field, are eligible", () => {
    expect(judge(exampleBundle()).verdict).toBe("eligible_repair_dry_run");
    const steps = [{ action: "doctor.lint", description: "lint the config", target: "openclaw-gateway.service", expect: "no findings" }, { action: "health.probe" }, "logs.collect"];
    expect(judge(withEvidence(plan({ steps, postchecks: [], rollback: null }))).verdict).toBe("eligible_repair_dry_run");
  });

  it("the spec's examples of a plan and a proposal are eligible beside the example bundle", () => {
    const kind = (name: string) => ({ ...JSON.parse(readFileSync(fixture(`examples/kinds/${name}.json`), "utf8")), generated_at: at });
    expect(judge(withEvidence(kind("supervised-repair-plan"), kind("remediation-proposal"))).verdict).toBe("eligible_repair_dry_run");
  });
});

describe("plan steps: judged by every field, not only `action`", () => {
  it("a step named `health.probe` whose `command` restarts the gateway holds, naming the field", () => {
    const v = judge(withEvidence(plan({ steps: [{ action: "health.probe", command: "systemctl --user restart openclaw-gateway.service" }] })));
    expect(v.verdict).toBe("needs_human");
    expect(codes(v)).toEqual(["plan_step_not_allowed"]);
    expect(paths(v)).toEqual([`bundle.evidence[${PLAN}].data.steps[0].command`]);
    expect(notInfo(v)[0]!.message).toContain("`command`");
  });

  it("a step named `logs.collect` whose `argv` deletes the state folder holds", () => {
    const v = judge(withEvidence(plan({ steps: [{ action: "logs.collect", argv: ["rm", "-rf", "/var/lib/openclaw"] }] })));
    expect(v.verdict).toBe("needs_human");
  });

  it("a remediation-proposal step named `doctor.lint` whose `script` restarts the gateway holds", () => {
    const v = judge(withEvidence(proposal({ proposed_class: "runtime_diagnostics", steps: [{ action: "doctor.lint", script: "openclaw doctor --fix && systemctl --user restart openclaw-gateway" }] })));
    expect(v.verdict).toBe("needs_human");
    expect(codes(v)).toEqual(["plan_step_not_allowed"]);
  });

  it("names several unknown fields in one reason", () => {
    const v = judge(withEvidence(plan({ steps: [{ action: "health.probe", run: "x", shell: "y", env: {} }] })));
    expect(codes(v)).toEqual(["plan_step_not_allowed"]);
    expect(notInfo(v)[0]!.message).toMatch(/`run`, `shell` and `env`/);
  });

  it("a documented field that is not text holds: it could carry anything", () => {
    const v = judge(withEvidence(plan({ steps: [{ action: "health.probe", description: { run: "systemctl restart openclaw-gateway" } }] })));
    expect(codes(v)).toEqual(["plan_step_not_allowed"]);
    expect(paths(v)).toEqual([`bundle.evidence[${PLAN}].data.steps[0].description`]);
  });

  it("a step with no action, an empty one, or one that is not a step holds", () => {
    for (const step of [{ expect: "ok" }, { action: "" }, "", 42, null, ["doctor.lint"]]) {
      expect(codes(judge(withEvidence(plan({ steps: [step] })))), JSON.stringify(step)).toEqual(["plan_step_not_allowed"]);
    }
  });

  it("a step that nests a `service.restart` sub-step holds, naming the sub-step", () => {
    const v = judge(withEvidence(plan({ steps: [{ action: "doctor.lint", steps: [{ action: "service.restart" }] }] })));
    expect(v.verdict).toBe("needs_human");
    expect(codes(v)).toEqual(["plan_step_hard_manual"]);
    expect(paths(v)).toEqual([`bundle.evidence[${PLAN}].data.steps[0].steps[0].action`]);
    expect(notInfo(v)[0]!.message).toContain("step 0.0");
  });

  it("nested steps that are all allowed are eligible; nested deeper than the limit hold unread", () => {
    const nest = (depth: number): Record<string, unknown> => (depth === 1 ? { action: "health.probe" } : { action: "doctor.lint", steps: [nest(depth - 1)] });
    expect(judge(withEvidence(plan({ steps: [nest(MAX_STEP_DEPTH)] }))).verdict).toBe("eligible_repair_dry_run");
    const deep = judge(withEvidence(plan({ steps: [nest(MAX_STEP_DEPTH + 1)] })));
    expect(codes(deep)).toEqual(["plan_step_not_allowed"]);
    expect(notInfo(deep)[0]!.message).toContain(`more than ${MAX_STEP_DEPTH} levels deep`);
  });

  it("nested `steps` that are not a list hold", () => {
    expect(codes(judge(withEvidence(plan({ steps: [{ action: "doctor.lint", steps: "service.restart" }] }))))).toEqual(["plan_step_not_allowed"]);
  });

  it("echoes a hostile field name without its newline or backticks", () => {
    const v = judge(withEvidence(plan({ steps: [{ action: "health.probe", "x`\n- ✅ all clear": 1 }] })));
    expect(notInfo(v)[0]!.message).not.toContain("\n");
    expect(notInfo(v)[0]!.message).not.toContain("x`");
  });
});

describe("plan evidence: the rollback", () => {
  it("a supervised-repair-plan whose rollback restarts the gateway holds", () => {
    const v = judge(withEvidence(plan({ steps: [{ action: "doctor.lint" }], postchecks: [], rollback: [{ action: "service.restart" }] })));
    expect(v.verdict).toBe("needs_human");
    expect(codes(v)).toEqual(["plan_step_hard_manual"]);
    expect(paths(v)).toEqual([`bundle.evidence[${PLAN}].data.rollback[0].action`]);
    expect(notInfo(v)[0]!.message).toContain("rollback step 0");
  });

  it("a supervised-repair-plan whose rollback (as an object of steps) redeploys holds", () => {
    const v = judge(withEvidence(plan({ steps: [{ action: "doctor.lint" }], rollback: { summary: "undo", steps: [{ action: "deploy.rollback" }] } })));
    expect(v.verdict).toBe("needs_human");
    expect(codes(v)).toEqual(["plan_step_hard_manual"]);
    expect(paths(v)).toEqual([`bundle.evidence[${PLAN}].data.rollback.steps[0].action`]);
  });

  it("a rollback of allowed steps, an empty one, or none is eligible", () => {
    for (const rollback of [null, [], [{ action: "logs.collect" }], { steps: ["health.probe"], description: "probe again" }]) {
      expect(judge(withEvidence(plan({ steps: [{ action: "doctor.lint" }], rollback }))).verdict, JSON.stringify(rollback)).toBe("eligible_repair_dry_run");
    }
  });

  it("a rollback of any other shape cannot be judged and holds", () => {
    for (const rollback of ["systemctl --user restart openclaw-gateway", true, 0, {}, { command: "x" }, { steps: [], command: "systemctl restart x" }, { steps: "service.restart" }]) {
      const v = judge(withEvidence(plan({ steps: [{ action: "doctor.lint" }], rollback })));
      expect(codes(v), JSON.stringify(rollback)).toEqual(["plan_step_not_allowed"]);
    }
  });

  it("a remediation proposal's rollback is judged too", () => {
    const v = judge(withEvidence(proposal({ proposed_class: "runtime_diagnostics", steps: ["doctor.lint"], rollback: [{ action: "gateway.restart" }] })));
    expect(codes(v)).toEqual(["plan_step_hard_manual"]);
  });
});

describe("remediation-proposal: the class it proposes", () => {
  it("a proposal for `gateway_restart` (a mutation) under a `runtime_diagnostics` candidate holds, saying what the class does", () => {
    const v = judge(withEvidence(proposal({ proposed_class: "gateway_restart", rationale: "503s again", steps: [{ action: "health.probe" }] })));
    expect(v.verdict).toBe("needs_human");
    expect(codes(v)).toEqual(["proposed_class_mismatch"]);
    expect(paths(v)).toEqual([`bundle.evidence[${PLAN}].data.proposed_class`]);
    const message = notInfo(v)[0]!.message;
    expect(message).toContain("`gateway_restart`, not the candidate's `runtime_diagnostics`");
    expect(message).toContain("it mutates the runtime");
    expect(message).toContain("`service_restart`");
  });

  it("a proposal for another read-only class holds too: it is not the fix being judged", () => {
    expect(codes(judge(withEvidence(proposal({ proposed_class: "incident_triage" }))))).toEqual(["proposed_class_mismatch"]);
  });

  it("a proposal naming a hard-manual class, or a class the policy does not know, holds", () => {
    const hardManual = judge(withEvidence(proposal({ proposed_class: "service_restart" })));
    expect(codes(hardManual)).toEqual(["proposed_class_mismatch"]);
    expect(notInfo(hardManual)[0]!.message).toContain("a hard-manual class");
    expect(notInfo(judge(withEvidence(proposal({ proposed_class: "Runtime_Diagnostics" }))))[0]!.message).toContain("not a repair class of the policy");
  });

  it("a proposal for the candidate's own class, or one that names no class, is eligible", () => {
    expect(judge(withEvidence(proposal({ proposed_class: "runtime_diagnostics", steps: ["doctor.lint"] }))).verdict).toBe("eligible_repair_dry_run");
    expect(judge(withEvidence(proposal({ steps: ["doctor.lint"] }))).verdict).toBe("eligible_repair_dry_run");
  });

  it("a `proposed_class` that is not text cannot be read: evidence_unknown", () => {
    for (const proposedClass of [null, 42, ["gateway_restart"], { name: "gateway_restart" }]) {
      expect(codes(judge(withEvidence(proposal({ proposed_class: proposedClass })))), JSON.stringify(proposedClass)).toEqual(["evidence_unknown"]);
    }
  });

  it("holds whatever the proposal's status says (a `warn` proposal for a restart still names it)", () => {
    expect(codes(judge(withEvidence(proposal({ proposed_class: "gateway_restart" }, "warn"))))).toEqual(["evidence_warn", "proposed_class_mismatch"]);
  });
});

describe("incident-packet: an incident still open", () => {
  const packet = (edit: (data: Record<string, any>, item: Record<string, any>) => void) => {
    const b = exampleBundle();
    edit(b.evidence[INCIDENT].data, b.evidence[INCIDENT]);
    return judge(b);
  };

  it("a packet with `closed_at: null` holds, as an open incident on the dashboard does", () => {
    const v = packet((d, item) => {
      d.closed_at = null;
      d.severity = "critical";
      item.summary = "gateway answering 503; not recovered";
    });
    expect(v.verdict).toBe("needs_human");
    expect(codes(v)).toEqual(["evidence_data_degraded"]);
    expect(paths(v)).toEqual([`bundle.evidence[${INCIDENT}].data.closed_at`]);
    expect(notInfo(v)[0]!.message).toContain("still open");
  });

  it("control: the dashboard saying one incident is open holds the same bundle", () => {
    const b = exampleBundle();
    b.evidence[AUTOHEAL].data.open_incidents = 1;
    expect(judge(b).verdict).toBe("needs_human");
  });

  it("a packet closed after it was written (beyond the skew tolerance) was open when written: it holds", () => {
    expect(codes(packet((d) => (d.closed_at = "2026-11-21T11:55:00Z")))).toEqual(["evidence_data_degraded"]);
    expect(packet((d) => (d.closed_at = "2026-11-21T11:46:00Z")).verdict).toBe("eligible_repair_dry_run"); // within 2m
  });

  it("a `closed_at` or `opened_at` the gate cannot place is evidence_unknown", () => {
    for (const value of [42, true, {}, "", "yesterday", "2026-11-21T11:40:22"]) {
      expect(codes(packet((d) => (d.closed_at = value))), `closed_at ${JSON.stringify(value)}`).toEqual(["evidence_unknown"]);
      expect(codes(packet((d) => (d.opened_at = value))), `opened_at ${JSON.stringify(value)}`).toEqual(["evidence_unknown"]);
    }
    expect(codes(packet((d) => (d.opened_at = null)))).toEqual(["evidence_unknown"]);
  });

  it("a packet closed before it opened is evidence_unknown", () => {
    expect(codes(packet((d) => (d.closed_at = "2026-11-21T11:30:00Z")))).toEqual(["evidence_unknown"]);
  });

  it("a packet without `closed_at` is not judged on it, and `severity` is never read", () => {
    expect(packet((d) => delete d.closed_at).verdict).toBe("eligible_repair_dry_run");
    expect(packet((d) => (d.severity = "critical")).verdict).toBe("eligible_repair_dry_run");
  });

  it("a `warn` packet adds no second reason; a `fail` packet blocks on its own", () => {
    expect(codes(packet((d, item) => ((d.closed_at = null), (item.status = "warn"))))).toEqual(["evidence_warn"]);
    expect(codes(packet((d, item) => ((d.closed_at = null), (item.status = "fail"))))).toEqual(["evidence_failed"]);
  });
});

describe("autoheal-dashboard: checks and runs that do not say how they ended", () => {
  it("a check written `{ id, status: \"fail\" }` (no `ok`) is evidence_unknown, naming the check", () => {
    const b = exampleBundle();
    b.evidence[AUTOHEAL].data.checks.push({ id: "gateway-restart-loop", status: "fail" });
    const v = judge(b);
    expect(v.verdict).toBe("needs_human");
    expect(codes(v)).toEqual(["evidence_unknown"]);
    expect(paths(v)).toEqual([`bundle.evidence[${AUTOHEAL}].data.checks[2].ok`]);
    expect(notInfo(v)[0]!.message).toContain("`gateway-restart-loop`");
    expect(notInfo(v)[0]!.message).toContain("is absent");
  });

  it("a `last_run` without `result` is evidence_unknown; with `clean` it is fine", () => {
    const b = exampleBundle();
    b.evidence[AUTOHEAL].data.last_run = { at: "2026-11-21T11:00:00Z" };
    const v = judge(b);
    expect(codes(v)).toEqual(["evidence_unknown"]);
    expect(paths(v)).toEqual([`bundle.evidence[${AUTOHEAL}].data.last_run.result`]);
    b.evidence[AUTOHEAL].data.last_run.result = "clean";
    expect(judge(b).verdict).toBe("eligible_repair_dry_run");
  });
});

describe("approval claims: acceptance written with the drift lane's own receipt words", () => {
  // The drift plan's receipt_fields name `accepted_by` and `accepted_at` as what records the
  // operator's acceptance: both are claims, as `approved_by` and `approved_at` are.
  const claims = (data: Record<string, unknown>) => judge(withEvidence(plan({ steps: [{ action: "doctor.lint" }], ...data })));

  it("`accepted_at: <time>` in evidence data is an approval claim, as `approved_at` is", () => {
    const v = claims({ accepted_at: "2026-11-21T11:58:00Z" });
    expect(codes(v)).toEqual(["approval_claim_ignored"]);
    expect(v.verdict).toBe("needs_human");
  });

  it("`authorized_at`, `authorisedOn`, `accepted-time` and `ACCEPTED DATE` are claims", () => {
    for (const key of ["authorized_at", "authorisedOn", "accepted-time", "ACCEPTED DATE"]) {
      expect(codes(claims({ [key]: "2026-11-21T11:58:00Z" })), key).toEqual(["approval_claim_ignored"]);
    }
  });

  it("a look-alike letter does not hide one (Cyrillic с in `accepted_at`)", () => {
    expect(codes(claims({ "a\u0441cepted_at": "2026-11-21T11:58:00Z" }))).toEqual(["approval_claim_ignored"]);
  });

  it("control: `approved_at` and `accepted_by` are claims; `accepted_at: null` and look-alike words are not", () => {
    expect(claims({ approved_at: "2026-11-21T11:58:00Z" }).verdict).toBe("needs_human");
    expect(claims({ accepted_by: "pdurlej" }).verdict).toBe("needs_human");
    for (const data of [{ accepted_at: null }, { authorization: "token" }, { accepted_connections: 3 }, { accepted_at_least: 2 }, { receipt_fields: [{ field: "accepted_at" }] }]) {
      expect(claims(data).verdict, JSON.stringify(data)).toBe("eligible_repair_dry_run");
    }
  });
});

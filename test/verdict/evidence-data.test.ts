import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readEvidence } from "../../src/evidence/read-evidence.js";
import { parseIsoTime } from "../../src/time/iso-time.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { VERDICT_RANK, type Verdict } from "../../src/verdict/verdict-types.js";
import { fixture } from "../helpers/paths.js";
import { AUTOHEAL, greenBundle, INCIDENT, judge, judgeEdit, KIT_COMPAT, KIT_COVERAGE, KIT_GATES, KIT_VERDICT, notInfo, NOW, policy, RT, SAFE_UPDATE, SIMULATOR } from "./green-bundle.js";

// The kind inspectors that read what an item's `data` shows and take the worse of that and its
// status (docs/iskra-openclaw-evidence-bundle-spec.md, "What the gate reads in `data`").

describe("the green baseline", () => {
  it("is eligible, with every documented field present", () => {
    const verdict = judge(greenBundle());
    expect(verdict.reasons.map((r) => r.code)).toEqual(["dry_run_only"]);
  });
});

describe("each documented field that shows a failure blocks an item that says `pass`", () => {
  const cases: [string, number, (d: Record<string, any>) => void, string][] = [
    ["readyz.draining: true", RT, (d) => (d.readyz.draining = true), "bundle.evidence[0].data.readyz.draining"],
    ["readyz.status: 503", RT, (d) => (d.readyz.status = 503), "bundle.evidence[0].data.readyz.status"],
    ["readyz.status: 302", RT, (d) => (d.readyz.status = 302), "bundle.evidence[0].data.readyz.status"],
    ["health.ok: false", RT, (d) => (d.health.ok = false), "bundle.evidence[0].data.health.ok"],
    ["a channel probe not ok", RT, (d) => (d.health.channels.matrix.probe.ok = false), "bundle.evidence[0].data.health.channels.matrix.probe.ok"],
    ["a second account's channel probe not ok", RT, (d) => (d.health.channels.matrix.accounts.work.probe.ok = false), "bundle.evidence[0].data.health.channels.matrix.accounts.work.probe.ok"],
    ["gateway_probe.ok: false", RT, (d) => (d.gateway_probe.ok = false), "bundle.evidence[0].data.gateway_probe.ok"],
    ["unit.active: failed", RT, (d) => (d.unit.active = "failed"), "bundle.evidence[0].data.unit.active"],
    ["unit.active: activating", RT, (d) => (d.unit.active = "activating"), "bundle.evidence[0].data.unit.active"],
    ["summary.fail: 3", RT, (d) => Object.assign(d.summary, { pass: 16, fail: 3 }), "bundle.evidence[0].data.summary.fail"],
    ["summary.ok: false", RT, (d) => (d.summary.ok = false), "bundle.evidence[0].data.summary.ok"],
    ["summary.fail: 1e20, no exact count but still failures", RT, (d) => (d.summary.fail = 1e20), "bundle.evidence[0].data.summary.fail"],
    ["summary.fail: 2.5", RT, (d) => (d.summary.fail = 2.5), "bundle.evidence[0].data.summary.fail"],
    ["a dashboard check not ok", AUTOHEAL, (d) => (d.checks[1].ok = false), "bundle.evidence[1].data.checks[1].ok"],
    ["a customization check failed", SIMULATOR, (d) => (d.customization_checks["runtime-hook"] = "failed"), "bundle.evidence[3].data.customization_checks.runtime-hook"],
    ["a customization check that is not a text", SIMULATOR, (d) => (d.customization_checks["runtime-hook"] = true), "bundle.evidence[3].data.customization_checks.runtime-hook"],
    ["the kit's verdict blocked", SAFE_UPDATE, (d) => (d.verdict = "blocked"), "bundle.evidence[4].data.verdict"],
    ["the kit's gate decision failed", SAFE_UPDATE, (d) => (d.gate_decision.status = "failed"), "bundle.evidence[4].data.gate_decision.status"],
    ["the kit's gate handling blocked", SAFE_UPDATE, (d) => (d.gate_decision.handling = "blocked"), "bundle.evidence[4].data.gate_decision.handling"],
    ["conservative-gates.json: status failed", KIT_GATES, (d) => (d.status = "failed"), "bundle.evidence[5].data.status"],
    ["conservative-gates.json: handling blocked", KIT_GATES, (d) => (d.handling = "blocked"), "bundle.evidence[5].data.handling"],
    ["conservative-gates.json: a decision blocked", KIT_GATES, (d) => (d.decisions[4].outcome = "blocked"), "bundle.evidence[5].data.decisions[4].outcome"],
    ["verdict.json: decision_content.verdict blocked", KIT_VERDICT, (d) => (d.decision_content.verdict = "blocked"), "bundle.evidence[6].data.decision_content.verdict"],
    ["verdict.json: decision_content.gate_decision.status failed", KIT_VERDICT, (d) => (d.decision_content.gate_decision.status = "failed"), "bundle.evidence[6].data.decision_content.gate_decision.status"],
    ["verdict.json: decision_content.gate_decision.handling blocked", KIT_VERDICT, (d) => (d.decision_content.gate_decision.handling = "blocked"), "bundle.evidence[6].data.decision_content.gate_decision.handling"],
    ["verdict.json: an artifact's recorded status failed", KIT_VERDICT, (d) => (d.decision_content.evidence_status.installation_attestation = "failed"), "bundle.evidence[6].data.decision_content.evidence_status.installation_attestation"],
    ["verdict.json: the compatibility view's verdict blocked", KIT_VERDICT, (d) => (d.compatibility_view.payload.verdict = "blocked"), "bundle.evidence[6].data.compatibility_view.payload.verdict"],
    ["customization-compatibility.json: a check failed", KIT_COMPAT, (d) => (d.checks[1].status = "failed"), "bundle.evidence[7].data.checks[1].status"],
    ["customization-compatibility.json: status failed", KIT_COMPAT, (d) => (d.status = "failed"), "bundle.evidence[7].data.status"],
    ["coverage-report.json: status failed", KIT_COVERAGE, (d) => (d.status = "failed"), "bundle.evidence[8].data.status"],
  ];
  for (const [name, index, edit, path] of cases) {
    it(name, () => {
      const verdict = judgeEdit(index, edit);
      expect(verdict.verdict).toBe("blocked");
      expect(notInfo(verdict)).toEqual([{ code: "evidence_data_failed", path }]);
      expect(verdict.reasons[0]!.evidence?.index).toBe(index);
    });
  }
});

describe("each documented field that shows something short of a pass holds an item that says `pass`", () => {
  const cases: [string, number, (d: Record<string, any>) => void, string][] = [
    ["gateway_probe.degraded: true", RT, (d) => (d.gateway_probe.degraded = true), "bundle.evidence[0].data.gateway_probe.degraded"],
    ["skipped checks (a skip is not a pass)", RT, (d) => Object.assign(d.summary, { pass: 14, skip: 5 }), "bundle.evidence[0].data.summary.skip"],
    ["checks unaccounted for", RT, (d) => (d.summary.pass = 17), "bundle.evidence[0].data.summary.pass"],
    ["an open incident", AUTOHEAL, (d) => (d.open_incidents = 1), "bundle.evidence[1].data.open_incidents"],
    ["a last autoheal run that was not clean", AUTOHEAL, (d) => (d.last_run.result = "healed"), "bundle.evidence[1].data.last_run.result"],
    ["surfaces left uncovered", SIMULATOR, (d) => (d.coverage.covered = 1), "bundle.evidence[3].data.coverage.covered"],
    ["coverage-report.json: a required surface failed", KIT_COVERAGE, (d) => (d.surfaces[0].status = "failed"), "bundle.evidence[8].data.surfaces[0].status"],
    ["coverage-report.json: a required surface without a status", KIT_COVERAGE, (d) => delete d.surfaces[1].status, "bundle.evidence[8].data.surfaces[1].status"],
  ];
  for (const [name, index, edit, path] of cases) {
    it(name, () => {
      const verdict = judgeEdit(index, edit);
      expect(verdict.verdict).toBe("needs_human");
      expect(notInfo(verdict)).toEqual([{ code: "evidence_data_degraded", path }]);
    });
  }
});

describe("a documented field of the wrong type is unknown, never fine", () => {
  const cases: [string, number, (d: Record<string, any>) => void, string][] = [
    ['draining: "yes"', RT, (d) => (d.readyz.draining = "yes"), "bundle.evidence[0].data.readyz.draining"],
    ["draining: null", RT, (d) => (d.readyz.draining = null), "bundle.evidence[0].data.readyz.draining"],
    ['readyz.status: "200"', RT, (d) => (d.readyz.status = "200"), "bundle.evidence[0].data.readyz.status"],
    ["readyz.status: 200.5", RT, (d) => (d.readyz.status = 200.5), "bundle.evidence[0].data.readyz.status"],
    ["readyz: a list", RT, (d) => (d.readyz = []), "bundle.evidence[0].data.readyz"],
    ['health.ok: "true"', RT, (d) => (d.health.ok = "true"), "bundle.evidence[0].data.health.ok"],
    ["a channel probe ok: 1", RT, (d) => (d.health.channels.signal.probe.ok = 1), "bundle.evidence[0].data.health.channels.signal.probe.ok"],
    ["a channel that is not an object", RT, (d) => (d.health.channels.signal = "ok"), "bundle.evidence[0].data.health.channels.signal"],
    ["health.channels: a list", RT, (d) => (d.health.channels = []), "bundle.evidence[0].data.health.channels"],
    ["a channel's accounts: a list", RT, (d) => (d.health.channels.matrix.accounts = []), "bundle.evidence[0].data.health.channels.matrix.accounts"],
    ["an account that is not an object", RT, (d) => (d.health.channels.matrix.accounts.work = "ok"), "bundle.evidence[0].data.health.channels.matrix.accounts.work"],
    ['an account probe ok: "yes"', RT, (d) => (d.health.channels.matrix.accounts.work.probe.ok = "yes"), "bundle.evidence[0].data.health.channels.matrix.accounts.work.probe.ok"],
    ['health.ts: an ISO text', RT, (d) => (d.health.ts = "2026-11-21T11:50:00Z"), "bundle.evidence[0].data.health.ts"],
    ["health.ts: a fraction", RT, (d) => (d.health.ts = 1795261800000.5), "bundle.evidence[0].data.health.ts"],
    ["health.ts: 1e20, no time the gate can place", RT, (d) => (d.health.ts = 1e20), "bundle.evidence[0].data.health.ts"],
    ['gateway_probe.degraded: "no"', RT, (d) => (d.gateway_probe.degraded = "no"), "bundle.evidence[0].data.gateway_probe.degraded"],
    ["unit.active: true", RT, (d) => (d.unit.active = true), "bundle.evidence[0].data.unit.active"],
    ['data.summary: a text', RT, (d) => (d.summary = "all good"), "bundle.evidence[0].data.summary"],
    ["summary.skip: -1", RT, (d) => (d.summary.skip = -1), "bundle.evidence[0].data.summary.skip"],
    ["checks: an object", AUTOHEAL, (d) => (d.checks = { "gateway-ready": true }), "bundle.evidence[1].data.checks"],
    ['a check ok: "yes"', AUTOHEAL, (d) => (d.checks[0].ok = "yes"), "bundle.evidence[1].data.checks[0].ok"],
    ['open_incidents: "0"', AUTOHEAL, (d) => (d.open_incidents = "0"), "bundle.evidence[1].data.open_incidents"],
    ["coverage.covered: null", SIMULATOR, (d) => (d.coverage.covered = null), "bundle.evidence[3].data.coverage.covered"],
    ["customization_checks: a list", SIMULATOR, (d) => (d.customization_checks = ["success"]), "bundle.evidence[3].data.customization_checks"],
    ["an unknown kit verdict", SAFE_UPDATE, (d) => (d.verdict = "ready"), "bundle.evidence[4].data.verdict"],
    ["a gate decision status of 1", SAFE_UPDATE, (d) => (d.gate_decision.status = 1), "bundle.evidence[4].data.gate_decision.status"],
    ["a gate handling outside the kit's words", SAFE_UPDATE, (d) => (d.gate_decision.handling = "relaxed"), "bundle.evidence[4].data.gate_decision.handling"],
    ["conservative-gates.json: decisions an object", KIT_GATES, (d) => (d.decisions = { "rollback-evidence": "pass" }), "bundle.evidence[5].data.decisions"],
    ["conservative-gates.json: a decision outcome outside the kit's words", KIT_GATES, (d) => (d.decisions[0].outcome = "skipped"), "bundle.evidence[5].data.decisions[0].outcome"],
    ["conservative-gates.json: status outside the kit's words", KIT_GATES, (d) => (d.status = "ok"), "bundle.evidence[5].data.status"],
    ["verdict.json: decision_content a list", KIT_VERDICT, (d) => (d.decision_content = []), "bundle.evidence[6].data.decision_content"],
    ["verdict.json: an artifact's recorded status null", KIT_VERDICT, (d) => (d.decision_content.evidence_status.runtime_truth = null), "bundle.evidence[6].data.decision_content.evidence_status.runtime_truth"],
    ["customization-compatibility.json: checks an object", KIT_COMPAT, (d) => (d.checks = { "runtime-hook": "success" }), "bundle.evidence[7].data.checks"],
    ["customization-compatibility.json: a check without a status", KIT_COMPAT, (d) => delete d.checks[0].status, "bundle.evidence[7].data.checks[0].status"],
    ['coverage-report.json: a surface required: "yes"', KIT_COVERAGE, (d) => (d.surfaces[0].required = "yes"), "bundle.evidence[8].data.surfaces[0].required"],
    ["coverage-report.json: surfaces a text", KIT_COVERAGE, (d) => (d.surfaces = "all"), "bundle.evidence[8].data.surfaces"],
  ];
  for (const [name, index, edit, path] of cases) {
    it(name, () => {
      const verdict = judgeEdit(index, edit);
      expect(verdict.verdict).toBe("needs_human");
      expect(notInfo(verdict)).toEqual([{ code: "evidence_unknown", path }]);
    });
  }

  it("says the value's type and the type the field should have", () => {
    const [reason] = judgeEdit(RT, (d) => (d.readyz.draining = "yes")).reasons;
    expect(reason!.message).toBe(
      "`runtime-truth-report` evidence[0] (`openclaw-gateway`) reports `pass`, but its `data.readyz.draining` is the text `yes`, not `true` or `false`; the gate cannot tell whether the gateway is draining, so a human must judge it, and the producer should write `true` or `false`",
    );
  });
});

describe("a reason is added only when the data is worse than the status", () => {
  it("an item that says `fail` gets no second reason", () => {
    const verdict = judgeEdit(RT, (d, item) => {
      item.status = "fail";
      d.readyz.draining = true;
      d.gateway_probe.degraded = true;
    });
    expect(notInfo(verdict).map((r) => r.code)).toEqual(["evidence_failed"]);
  });

  it("an item that says `warn` over a failure in its data is blocked", () => {
    const verdict = judgeEdit(RT, (d, item) => {
      item.status = "warn";
      d.readyz.draining = true;
    });
    expect(verdict.verdict).toBe("blocked");
    expect(notInfo(verdict).map((r) => r.code).sort()).toEqual(["evidence_data_failed", "evidence_warn"]);
  });

  it("an item that says `unknown` or `warn` already holds: a degraded or unreadable field adds nothing", () => {
    for (const status of ["warn", "unknown"]) {
      const verdict = judgeEdit(RT, (d, item) => {
        item.status = status;
        d.gateway_probe.degraded = true;
        d.readyz.draining = "maybe";
      });
      expect(notInfo(verdict).map((r) => r.code)).toEqual([`evidence_${status}`]);
    }
  });

  it("absent fields are not judged: the status stands for them", () => {
    const verdict = judgeEdit(RT, (d) => {
      delete d.readyz;
      delete d.gateway_probe;
      delete d.health.channels.matrix.probe;
      delete d.summary;
    });
    expect(verdict.verdict).toBe("eligible_repair_dry_run");
  });
});

describe("messages", () => {
  it("describe the item, quote the value, then say what to do", () => {
    const [reason] = judgeEdit(RT, (d) => (d.readyz.draining = true)).reasons;
    expect(reason).toEqual({
      code: "evidence_data_failed",
      severity: "block",
      path: "bundle.evidence[0].data.readyz.draining",
      evidence: { index: 0, kind: "runtime-truth-report", id: "rt-2026-11-21T11:50", subject: "openclaw-gateway" },
      message:
        "`runtime-truth-report` evidence[0] (`openclaw-gateway`) reports `pass`, but its `data.readyz.draining` is `true`: the gateway is draining, so it is not ready whatever else the report says; take the report again once it serves",
    });
  });

  it("name many failed channels in one reason, capped", () => {
    const verdict = judgeEdit(RT, (d) => {
      d.health.channels = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`ch${i}`, { probe: { ok: i % 2 === 1 } }]));
    });
    const reasons = verdict.reasons.filter((r) => r.code === "evidence_data_failed");
    expect(reasons).toHaveLength(1);
    expect(reasons[0]!.path).toBe("bundle.evidence[0].data.health.channels.ch0.probe.ok");
    expect(reasons[0]!.message).toContain("its channel probes failed for `ch0`, `ch2`, `ch4`, `ch6`, `ch8` and 15 more (`data.health.channels.ch0.probe.ok` is `false`)");
  });

  it("keep a channel id that is not a plain name readable in the path, and hostile text out of the message", () => {
    const verdict = judgeEdit(RT, (d) => (d.health.channels = { "bad `id`\nforged": { probe: { ok: false } } }));
    const [reason] = verdict.reasons;
    // A backtick reads as quote() writes it: messages name a field inside a code span (fieldName).
    expect(reason!.path).toBe('bundle.evidence[0].data.health.channels["bad \'id\'\\nforged"].probe.ok');
    expect(reason!.message).not.toContain("\n");
    expect(reason!.message).toContain("`bad 'id' forged`");
  });

  it("name a failed account's probe as channel/account, with every account of the channel", () => {
    const verdict = judgeEdit(RT, (d) => {
      d.health.channels.matrix.accounts.work.probe = { ok: false, status: 401, error: "M_UNKNOWN_TOKEN" };
      d.health.channels.signal.accounts = { backup: { accountId: "backup", probe: { ok: false } } };
    });
    const [reason] = verdict.reasons;
    expect(reason!.path).toBe("bundle.evidence[0].data.health.channels.signal.accounts.backup.probe.ok");
    expect(reason!.message).toContain("its channel probes failed for `signal/backup` and `matrix/work` (`data.health.channels.signal.accounts.backup.probe.ok` is `false`)");
  });

  it("name the kit's blocked gate decisions by id", () => {
    const [reason] = judgeEdit(KIT_GATES, (d) => (d.decisions[4].outcome = "blocked")).reasons;
    expect(reason!.message).toBe(
      "`safe-update-dry-run` evidence[5] (`conservative-gates`) reports `pass`, but its gate decision `installation-attestation-fresh-complete` did not pass (`data.decisions[4].outcome` is `blocked`): the kit's gates blocked the upgrade, and the gate never upgrades the kit's failure; fix what the kit reports and run it again",
    );
  });

  it("say which of the kit's words a field may hold when it holds another", () => {
    const [reason] = judgeEdit(KIT_GATES, (d) => (d.handling = "relaxed")).reasons;
    expect(reason!.message).toContain("its `data.handling` is `relaxed`, not `baseline`, `conservative` or `blocked`; the gate cannot tell how the kit's gates handled the upgrade");
  });

  it("name the kit's uncovered required surfaces", () => {
    const [reason] = judgeEdit(KIT_COVERAGE, (d) => {
      d.surfaces[0].status = "failed";
      d.surfaces[1].required = false;
      d.surfaces[1].status = "failed";
    }).reasons;
    expect(reason!.code).toBe("evidence_data_degraded");
    expect(reason!.message).toContain("its required surface `signal` was not covered (`data.surfaces[0].status` is the text `failed`, not `success`)");
  });

  it("quote the gateway's capability and warnings when it is degraded", () => {
    const [reason] = judgeEdit(RT, (d) => (d.gateway_probe = { ok: true, degraded: true, capability: "partial", warnings: [{ code: "channel_down", message: "matrix down" }] })).reasons;
    expect(reason!.message).toContain("the gateway answers degraded (capability `partial`), warning `channel_down`; a human must judge");
  });
});

describe("the safe-update kit's runs keep their verdicts", () => {
  it.each([
    ["green", "needs_human"],
    ["conservative-transitive-drift", "needs_human"],
    ["blocked-no-attestation", "blocked"],
  ])("%s: %s, and no data reason", async (run, expected) => {
    const verdict = evaluate(await readEvidence(fixture(`openclaw-runs/${run}`)), policy, Date.parse("2026-11-21T05:00:00Z"));
    expect(verdict.verdict).toBe(expected);
    expect(verdict.reasons.map((r) => r.code)).not.toContain("evidence_data_failed");
    expect(verdict.reasons.map((r) => r.code)).not.toContain("evidence_data_degraded");
  });

  it("an optional surface that failed is not judged", () => {
    const verdict = judgeEdit(KIT_COVERAGE, (d) => Object.assign(d.surfaces[0], { required: false, status: "failed" }));
    expect(verdict.verdict).toBe("eligible_repair_dry_run");
  });

  it("a hand-written bundle cannot borrow the kit bundle item's subject to hide a blocked verdict", () => {
    const verdict = judgeEdit(SAFE_UPDATE, (d, item) => {
      item.subject = "safe-update-evidence-bundle";
      item.id = "evidence-bundle.json";
      d.verdict = "blocked";
    });
    expect(verdict.verdict).toBe("blocked");
    expect(notInfo(verdict).map((r) => r.code)).toEqual(["evidence_data_failed"]);
  });
});

/** Every documented field, with the values that are fine; any other value must not leave the bundle eligible. */
const DOCUMENTED: { index: number; at: (string | number)[]; fine: (value: unknown) => boolean }[] = [
  { index: RT, at: ["readyz", "draining"], fine: (v) => v === false },
  { index: RT, at: ["readyz", "status"], fine: (v) => Number.isInteger(v) && (v as number) >= 200 && (v as number) <= 299 },
  { index: RT, at: ["health", "ok"], fine: (v) => v === true },
  { index: RT, at: ["health", "channels", "matrix", "probe", "ok"], fine: (v) => v === true },
  { index: RT, at: ["gateway_probe", "ok"], fine: (v) => v === true },
  { index: RT, at: ["gateway_probe", "degraded"], fine: (v) => v === false },
  { index: RT, at: ["unit", "active"], fine: (v) => v === "active" },
  { index: RT, at: ["summary", "fail"], fine: (v) => v === 0 },
  { index: RT, at: ["summary", "skip"], fine: (v) => v === 0 },
  { index: RT, at: ["summary", "pass"], fine: (v) => Number.isSafeInteger(v) && (v as number) >= 19 },
  { index: RT, at: ["summary", "ok"], fine: (v) => v === true },
  { index: AUTOHEAL, at: ["checks", 0, "ok"], fine: (v) => v === true },
  { index: AUTOHEAL, at: ["open_incidents"], fine: (v) => v === 0 },
  { index: AUTOHEAL, at: ["last_run", "result"], fine: (v) => v === "clean" },
  { index: SIMULATOR, at: ["customization_checks", "signal-entrypoint"], fine: (v) => v === "success" },
  { index: SIMULATOR, at: ["coverage", "covered"], fine: (v) => Number.isSafeInteger(v) && (v as number) >= 2 },
  { index: SIMULATOR, at: ["coverage", "required_surfaces"], fine: (v) => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= 2 },
  { index: SAFE_UPDATE, at: ["verdict"], fine: (v) => v === "ready_for_operator_plan" },
  { index: SAFE_UPDATE, at: ["gate_decision", "status"], fine: (v) => v === "success" },
  { index: SAFE_UPDATE, at: ["gate_decision", "handling"], fine: (v) => v === "baseline" || v === "conservative" },
  { index: RT, at: ["health", "channels", "matrix", "accounts", "work", "probe", "ok"], fine: (v) => v === true },
  { index: RT, at: ["health", "ts"], fine: (v) => Number.isInteger(v) && (v as number) >= NOW - 3_600_000 && (v as number) <= Date.parse("2026-11-21T11:52:00Z") },
  { index: KIT_GATES, at: ["status"], fine: (v) => v === "success" },
  { index: KIT_GATES, at: ["handling"], fine: (v) => v === "baseline" || v === "conservative" },
  { index: KIT_GATES, at: ["decisions", 11, "outcome"], fine: (v) => v === "pass" || v === "conservative" },
  { index: KIT_VERDICT, at: ["verdict"], fine: (v) => v === "ready_for_operator_plan" },
  { index: KIT_VERDICT, at: ["decision_content", "verdict"], fine: (v) => v === "ready_for_operator_plan" },
  { index: KIT_VERDICT, at: ["decision_content", "gate_decision", "status"], fine: (v) => v === "success" },
  { index: KIT_VERDICT, at: ["decision_content", "gate_decision", "handling"], fine: (v) => v === "baseline" || v === "conservative" },
  { index: KIT_VERDICT, at: ["decision_content", "evidence_status", "conservative_gates"], fine: (v) => v === "success" },
  { index: KIT_VERDICT, at: ["compatibility_view", "payload", "verdict"], fine: (v) => v === "ready_for_operator_plan" },
  { index: KIT_COMPAT, at: ["checks", 0, "status"], fine: (v) => v === "success" },
  { index: KIT_COMPAT, at: ["status"], fine: (v) => v === "success" },
  { index: KIT_COVERAGE, at: ["surfaces", 1, "status"], fine: (v) => v === "success" },
  { index: KIT_COVERAGE, at: ["surfaces", 1, "required"], fine: (v) => typeof v === "boolean" },
  // closed after it opened (11:36:10) and by the time the packet was written (11:45, plus 2m of skew)
  { index: INCIDENT, at: ["closed_at"], fine: (v) => typeof v === "string" && isTimeBetween(v, "2026-11-21T11:36:10Z", "2026-11-21T11:47:00Z") },
  { index: INCIDENT, at: ["opened_at"], fine: (v) => typeof v === "string" && isTimeBetween(v, "0000-01-01T00:00:00Z", "2026-11-21T11:40:22Z") },
];

function isTimeBetween(value: string, from: string, to: string): boolean {
  const time = parseIsoTime(value);
  return time !== null && time >= parseIsoTime(from)! && time <= parseIsoTime(to)!;
}

function setAt(data: Record<string, any>, at: (string | number)[], value: unknown): void {
  let node: any = data;
  for (const key of at.slice(0, -1)) node = node[key];
  node[at[at.length - 1]!] = value;
}

describe("properties (fast-check)", () => {
  const rank = (verdict: Verdict) => VERDICT_RANK[verdict.verdict];
  const value = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(true, false, null, 0, 1, 200, 204, 299, 300, 503, -1, 2.5, 1e20, "", "yes", "active", "success", "clean", "failed", "blocked", "pass", "conservative", "baseline", "ready_for_operator_plan"),
    // health.ts: fresh, three hours old, a day ahead
    fc.constantFrom(Date.parse("2026-11-21T11:50:00Z"), Date.parse("2026-11-21T08:50:00Z"), Date.parse("2026-11-22T11:50:00Z")),
    // incident times: opened, closed, closed after the packet was written, without a zone
    fc.constantFrom("2026-11-21T11:36:10Z", "2026-11-21T11:40:22Z", "2026-11-21T11:55:00Z", "2026-11-21T11:40:22"),
  );

  it("setting any documented field to any value leaves the bundle eligible only when the value is a fine one", () => {
    fc.assert(
      fc.property(fc.constantFrom(...DOCUMENTED), value, ({ index, at, fine }, v) => {
        const bundle = greenBundle();
        setAt(bundle.evidence[index].data, at, v);
        const verdict = judge(bundle);
        return fine(v) ? verdict.verdict === "eligible_repair_dry_run" : verdict.verdict !== "eligible_repair_dry_run";
      }),
      { numRuns: 300 },
    );
  });

  it("mutating documented fields of a passing report never yields a better verdict, whatever the items' statuses", () => {
    const statuses = fc.constantFrom("pass", "warn", "unknown", "fail");
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...DOCUMENTED), value), { minLength: 1, maxLength: 4 }),
        fc.array(fc.tuple(fc.constantFrom(RT, AUTOHEAL, INCIDENT, SIMULATOR, SAFE_UPDATE, KIT_GATES, KIT_VERDICT, KIT_COMPAT, KIT_COVERAGE), statuses), { maxLength: 2 }),
        (edits, statusEdits) => {
          const before = greenBundle();
          for (const [index, status] of statusEdits) before.evidence[index].status = status;
          const after = structuredClone(before);
          for (const [{ index, at }, v] of edits) setAt(after.evidence[index].data, at, v);
          return rank(judge(after)) >= rank(judge(before));
        },
      ),
      { numRuns: 200 },
    );
  });
});

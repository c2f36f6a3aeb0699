import { describe, expect, it } from "vitest";
import type { EvidenceItem } from "../../src/evidence/bundle-schema.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";

// The edges of the verdict rules, where a comparison off by one (or a check dropped) would give a
// better verdict.
const policy = await readPolicy();

/** runtime_diagnostics with a runtime-truth report and an autoheal dashboard, `extra` items beside them. */
function judge(runtimeTruth: Partial<EvidenceItem>, extra: EvidenceItem[] = [], repairClass = "runtime_diagnostics") {
  const bundle = bundleOf(repairClass, [item("runtime-truth-report", { subject: "gw", ...runtimeTruth }), item("autoheal-dashboard", { subject: "iskra" }), ...extra]);
  return evaluate(inputOf(bundle), policy, NOW);
}
const codes = (v: ReturnType<typeof judge>) => v.reasons.map((r) => r.code);

describe("rule boundaries: one step past each is the worse verdict", () => {
  it("control: the base bundle is eligible", () => {
    expect(judge({}).verdict).toBe("eligible_repair_dry_run");
  });

  it("evidence whose own expires_at is exactly now is expired (blocked), as valid_until says it stops counting then", () => {
    const v = judge({ expires_at: "2026-11-21T12:00:00Z" });
    expect(v.verdict).toBe("blocked");
    expect(codes(v)).toContain("evidence_expired");
  });

  it("a report saying `unknown` whose data shows the gateway draining is blocked, not only held", () => {
    const v = judge({ status: "unknown", data: { readyz: { draining: true, status: 200 } } });
    expect(v.verdict).toBe("blocked");
    expect(codes(v)).toContain("evidence_data_failed");
  });

  it("readyz answering 300 is outside 200–299: a failure", () => {
    const v = judge({ data: { readyz: { draining: false, status: 300 } } });
    expect(v.verdict).toBe("blocked");
    expect(v.reasons.find((r) => r.code === "evidence_data_failed")?.path).toBe("bundle.evidence[0].data.readyz.status");
  });

  it("a check summary with exactly one failed check (and no `ok`) is a failure", () => {
    const v = judge({ data: { summary: { total: 19, pass: 18, fail: 1, skip: 0 } } });
    expect(v.verdict).toBe("blocked");
    expect(v.reasons.find((r) => r.code === "evidence_data_failed")?.path).toBe("bundle.evidence[0].data.summary.fail");
  });

  it("one check unaccounted for (pass one below total, nothing failed or skipped) holds the verdict", () => {
    const v = judge({ data: { summary: { total: 19, pass: 18, fail: 0, skip: 0, ok: true } } });
    expect(v.verdict).toBe("needs_human");
    expect(v.reasons.find((r) => r.code === "evidence_data_degraded")?.path).toBe("bundle.evidence[0].data.summary.pass");
  });

  it("an incident closed 3 minutes after its packet was written (skew 2m) was still open when written: held", () => {
    const packet = item("incident-packet", {
      subject: "inc-1",
      generated_at: "2026-11-21T11:50:00Z",
      data: { opened_at: "2026-11-21T11:00:00Z", closed_at: "2026-11-21T11:53:00Z" },
    });
    const v = judge({}, [packet], "incident_triage");
    expect(v.verdict).toBe("needs_human");
    expect(v.reasons.find((r) => r.code === "evidence_data_degraded")?.path).toBe("bundle.evidence[2].data.closed_at");
  });

  it("a surface that does not say `required: false` counts as required: uncovered, it holds the verdict", () => {
    const sim = item("openclaw-upgrade-simulator", { subject: "sim", data: { surfaces: [{ id: "signal.inbound", status: "failed" }] } });
    const v = judge({}, [sim]);
    expect(v.verdict).toBe("needs_human");
    expect(v.reasons.find((r) => r.code === "evidence_data_degraded")?.path).toBe("bundle.evidence[2].data.surfaces[0].status");
  });

  it("steps nested four levels deep are not read: a human must (held), even when every action is allowed", () => {
    const leaf = (steps?: unknown) => ({ action: "health.probe", ...(steps !== undefined ? { steps } : {}) });
    const plan = item("supervised-repair-plan", { subject: "plan", data: { steps: [leaf([leaf([leaf([leaf()])])])] } });
    const v = judge({}, [plan]);
    expect(v.verdict).toBe("needs_human");
    expect(v.reasons.some((r) => r.code === "plan_step_not_allowed" && r.path === "bundle.evidence[2].data.steps[0].steps[0].steps[0].steps")).toBe(true);
  });

  it("a rollback whose `summary` is not text (it could carry a command) holds the verdict", () => {
    const plan = item("supervised-repair-plan", {
      subject: "plan",
      data: { steps: [{ action: "health.probe" }], rollback: { steps: [{ action: "health.probe" }], summary: { command: "systemctl restart openclaw-gateway" } } },
    });
    const v = judge({}, [plan]);
    expect(v.verdict).toBe("needs_human");
    expect(v.reasons.some((r) => r.code === "plan_step_not_allowed" && r.path === "bundle.evidence[2].data.rollback.summary")).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { codes, greenBundle, judge } from "./helpers.js";

// Spec: `supervised-repair-plan` is "the steps, postchecks and rollback a supervised repair would
// follow", with steps written `{ action }` in the same vocabulary as `candidate.plan.steps`, which
// are judged ("a hard-manual action ... holds the verdict at needs_human"). Brief: any runtime
// mutation (restart, deploy/apply/sync, auth/network, destructive) is at best needs_human.
const at = "2026-11-21T11:50:00Z";

describe("mutating steps carried by plan evidence, not by candidate.plan", () => {
  it("a supervised-repair-plan whose steps restart the gateway is not eligible", () => {
    const verdict = judge(
      greenBundle({
        extraEvidence: [
          { kind: "supervised-repair-plan", subject: "runtime_diagnostics", generated_at: at, status: "pass", data: { steps: [{ action: "doctor.lint" }, { action: "service.restart", expect: "gateway back" }], postchecks: [], rollback: null } },
        ],
      }),
    );
    expect(verdict.verdict).not.toBe("eligible_repair_dry_run");
    expect(verdict.verdict).toBe("needs_human");
  });

  it("a supervised-repair-plan that deletes data is not eligible", () => {
    const verdict = judge(
      greenBundle({
        extraEvidence: [{ kind: "supervised-repair-plan", subject: "runtime_diagnostics", generated_at: at, status: "pass", data: { steps: [{ action: "cache.purge" }, { action: "files.delete" }] } }],
      }),
    );
    expect(verdict.verdict).toBe("needs_human");
  });

  it("the same step in candidate.plan IS held (control: shows the gap is only in evidence)", () => {
    const verdict = judge(greenBundle({ candidate: { plan: { steps: [{ action: "service.restart" }] } } }));
    expect(codes(verdict)).toContain("plan_step_hard_manual");
    expect(verdict.verdict).toBe("needs_human");
  });
});

describe("steps written as action names alone", () => {
  it("are judged as those actions: allowed ones pass, a hard-manual one holds, a step with no name holds", () => {
    const plan = (steps: unknown[]) => judge(greenBundle({ extraEvidence: [{ kind: "supervised-repair-plan", subject: "runtime_diagnostics", generated_at: at, status: "pass", data: { steps } }] }));
    expect(plan(["doctor.lint", "health.probe"]).verdict).toBe("eligible_repair_dry_run");
    expect(codes(plan(["doctor.lint", "service.restart"]))).toContain("plan_step_hard_manual");
    expect(codes(plan([{ expect: "ok" }]))).toContain("plan_step_not_allowed");
    expect(codes(plan([42]))).toContain("plan_step_not_allowed");
  });
});

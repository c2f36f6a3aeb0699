import { describe, expect, it } from "vitest";
import { greenBundle, judge } from "../verdict/adversarial/helpers.js";

// Steps carried in a plan item's data are judged like the candidate's own: what the gate cannot
// judge holds the verdict for a human, at the field that could not be judged.
const planItem = (data: Record<string, unknown>) => ({ kind: "supervised-repair-plan", generated_at: "2026-11-21T11:50:00Z", status: "pass", data });
const judgePlan = (data: Record<string, unknown>) => judge(greenBundle({ extraEvidence: [planItem(data)] }));
const held = (data: Record<string, unknown>) => {
  const verdict = judgePlan(data);
  return { verdict: verdict.verdict, reasons: verdict.reasons.filter((r) => r.code === "plan_step_not_allowed").map((r) => ({ path: r.path, message: r.message })) };
};
const BASE = "bundle.evidence[2].data";

describe("plan evidence: shapes the gate cannot judge hold the verdict", () => {
  it("control: allowed steps with a `null` rollback are eligible", () => {
    expect(judgePlan({ steps: [{ action: "doctor.lint", expect: "no findings" }], rollback: null }).verdict).toBe("eligible_repair_dry_run");
  });

  it("`steps: null` is not a list of steps", () => {
    const { verdict, reasons } = held({ steps: null });
    expect(verdict).toBe("needs_human");
    expect(reasons.map((r) => r.path)).toEqual([`${BASE}.steps`]);
    expect(reasons[0]!.message).toContain("not a list of steps");
  });

  it("a step carrying a `command` beside an allowed action is held at that field", () => {
    const { verdict, reasons } = held({ steps: [{ action: "doctor.lint", command: "systemctl restart openclaw-gateway" }] });
    expect(verdict).toBe("needs_human");
    expect(reasons.map((r) => r.path)).toEqual([`${BASE}.steps[0].command`]);
    expect(reasons[0]!.message).toContain("`command`");
  });

  it("a step whose `description` is not a text is held", () => {
    const { verdict, reasons } = held({ steps: [{ action: "doctor.lint", description: 5 }] });
    expect(verdict).toBe("needs_human");
    expect(reasons.map((r) => r.path)).toEqual([`${BASE}.steps[0].description`]);
  });

  it("a step whose sub-`steps` are a text, not a list, is held", () => {
    const { verdict, reasons } = held({ steps: [{ action: "doctor.lint", steps: "restart everything" }] });
    expect(verdict).toBe("needs_human");
    expect(reasons.map((r) => r.path)).toEqual([`${BASE}.steps[0].steps`]);
    expect(reasons[0]!.message).toContain("not a list of steps");
  });

  it("a rollback object with a text field other than `summary` and `description` is held at that field", () => {
    const { verdict, reasons } = held({ steps: [{ action: "doctor.lint" }], rollback: { steps: [{ action: "health.probe" }], command: "rm -rf /var/lib/openclaw" } });
    expect(verdict).toBe("needs_human");
    expect(reasons.map((r) => r.path)).toEqual([`${BASE}.rollback.command`]);
  });

  it("a rollback object without `steps` is held as a shape the gate cannot judge", () => {
    const { verdict, reasons } = held({ steps: [{ action: "doctor.lint" }], rollback: { summary: "restore the backup" } });
    expect(verdict).toBe("needs_human");
    expect(reasons.map((r) => r.path)).toEqual([`${BASE}.rollback`]);
    expect(reasons[0]!.message).toContain("not a list of steps or an object with `steps`");
  });
});

describe("plan evidence: nesting depth", () => {
  const nest = (levels: number): Record<string, unknown> => {
    let step: Record<string, unknown> = { action: "doctor.lint" };
    for (let i = 1; i < levels; i++) step = { action: "doctor.lint", steps: [step] };
    return step;
  };
  it("steps nested three levels deep are read and allowed", () => {
    expect(judgePlan({ steps: [nest(3)] }).verdict).toBe("eligible_repair_dry_run");
  });
  it("steps nested four levels deep are not read: a human must", () => {
    const { verdict, reasons } = held({ steps: [nest(4)] });
    expect(verdict).toBe("needs_human");
    expect(reasons.map((r) => r.path)).toEqual([`${BASE}.steps[0].steps[0].steps[0].steps`]);
    expect(reasons[0]!.message).toContain("more than 3 levels deep");
  });
});

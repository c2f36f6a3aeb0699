import { describe, expect, it } from "vitest";
import type { DriftPlan } from "../../src/drift/plan-schema.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { inputOf } from "../helpers/bundles.js";
import { bundleWith, planFor, reDigested } from "./fixture-set.js";

const policy = await readPolicy();
const AT_NOON = Date.parse("2026-11-21T12:00:00Z");

const judge = (plan: DriftPlan) => evaluate(inputOf(bundleWith(plan)), policy, AT_NOON);

const mismatches = (plan: DriftPlan) => {
  const verdict = judge(plan);
  return { verdict: verdict.verdict, reasons: verdict.reasons.filter((r) => r.code === "drift_plan_policy_mismatch") };
};

describe("what an apply would act on must be the policy's exactly", () => {
  const base = planFor(policy, "iskra-docs-behind");
  const own = policy.drift!;

  it("control: the plan as made matches its policy and may go to a dry run", () => {
    expect(judge(base).verdict).toBe("eligible_repair_dry_run");
  });

  it("refuses an executor that differs from the policy's only in case", () => {
    const plan = reDigested(base, (p) => void (p.executor = own.executor.toUpperCase()));
    expect(plan.executor).not.toBe(own.executor);
    const { verdict, reasons } = mismatches(plan);
    expect(verdict).toBe("blocked");
    expect(reasons.map((r) => r.path)).toEqual(["bundle.evidence[1].data.executor"]);
  });

  it("refuses the policy's postchecks in another order", () => {
    expect(own.postchecks.length).toBeGreaterThanOrEqual(2);
    const plan = reDigested(base, (p) => void (p.postchecks = [...own.postchecks].reverse()));
    const { verdict, reasons } = mismatches(plan);
    expect(verdict).toBe("blocked");
    expect(reasons.map((r) => r.path)).toEqual(["bundle.evidence[1].data.postchecks"]);
  });

  it("refuses two of the policy's postchecks run together into one", () => {
    const plan = reDigested(base, (p) => void (p.postchecks = [`${own.postchecks[0]}${own.postchecks[1]}`, ...own.postchecks.slice(2)]));
    const { verdict, reasons } = mismatches(plan);
    expect(verdict).toBe("blocked");
    expect(reasons.map((r) => r.path)).toEqual(["bundle.evidence[1].data.postchecks"]);
  });

  it("refuses a plan that sends a later file elsewhere, and points at the first misplaced one", () => {
    expect(base.files.length).toBeGreaterThanOrEqual(3);
    const sendElsewhere = (p: DriftPlan, i: number) => {
      const file = p.files[i]!;
      file.target = `/etc/evil/${i}`;
      for (const backup of p.prechecks.backup.files) if (backup.path === file.path) backup.target = file.target;
    };
    const plan = reDigested(base, (p) => {
      sendElsewhere(p, 1);
      sendElsewhere(p, 2);
    });
    const { verdict, reasons } = mismatches(plan);
    expect(verdict).toBe("blocked");
    expect(reasons.map((r) => r.path)).toEqual(["bundle.evidence[1].data.files[1].target"]);
    expect(reasons[0]!.message).toMatch(
      new RegExp(`sends 2 file\\(s\\) \\(\`${base.files[1]!.path.replace(/\./g, "\\.")}\`, \`${base.files[2]!.path.replace(/\./g, "\\.")}\`\\) elsewhere than policy \`iskra-openclaw\` maps them: \`${base.files[1]!.path.replace(/\./g, "\\.")}\` to \`/etc/evil/1\` instead of `),
    );
  });

  it("refuses a plan that says a file the policy maps goes nowhere", () => {
    const plan = reDigested(base, (p) => {
      p.files[0]!.target = null;
      for (const backup of p.prechecks.backup.files) if (backup.path === p.files[0]!.path) backup.target = null;
    });
    const verdict = judge(plan);
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons.map((r) => r.code)).toContain("drift_plan_policy_mismatch");
    const mismatch = verdict.reasons.find((r) => r.code === "drift_plan_policy_mismatch")!;
    expect(mismatch.path).toBe("bundle.evidence[1].data.files[0].target");
    expect(mismatch.message).toMatch(new RegExp(`\`${base.files[0]!.path.replace(/\./g, "\\.")}\` to \`nowhere\` instead of \`${base.files[0]!.target}\``));
  });

  it("refuses an in-sync plan made with another executor: no drift does not excuse the mismatch", () => {
    const plan = reDigested(planFor(policy, "iskra-in-sync"), (p) => void (p.executor = "scp -r . root@iskra:/opt/iskra-openclaw/"));
    expect(plan.drift).toBe(false);
    const verdict = judge(plan);
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons.map((r) => [r.code, r.path])).toEqual([
      ["drift_plan_policy_mismatch", "bundle.evidence[1].data.executor"],
      ["drift_none", "bundle.evidence[1].data.drift"],
    ]);
  });
});

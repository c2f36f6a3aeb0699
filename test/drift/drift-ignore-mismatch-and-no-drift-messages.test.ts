import { describe, expect, it } from "vitest";
import type { DriftPlan } from "../../src/drift/plan-schema.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { inputOf } from "../helpers/bundles.js";
import { bundleWith, planFor } from "./fixture-set.js";

const policy = await readPolicy();
const AT_NOON = Date.parse("2026-11-21T12:00:00Z");

const judge = (plan: DriftPlan) => evaluate(inputOf(bundleWith(plan)), policy, AT_NOON);

describe("drift reasons that explain themselves", () => {
  it("manifests that skipped different globs: says which side skipped which, pointing at the remote's globs", () => {
    const plan = planFor(policy, "iskra-docs-behind-ignoring-logs");
    expect([plan.local.ignore, plan.remote.ignore]).toEqual([[], ["**/*.log"]]);
    const mismatch = judge(plan).reasons.filter((r) => r.code === "drift_ignore_mismatch");
    expect(mismatch.map((r) => [r.path, r.message])).toEqual([
      [
        "bundle.evidence[1].data.remote.ignore",
        "`deploy-drift-probe` evidence[1] (`iskra`) compares manifests that skipped different globs (local: none; remote: `**/*.log`), so files skipped on one side show as added or removed; take both with the same `--ignore`",
      ],
    ]);
  });

  it("no drift: says how many files match and points at `drift`", () => {
    const plan = planFor(policy, "iskra-in-sync");
    const verdict = judge(plan);
    expect(verdict.verdict).toBe("eligible_repair_dry_run");
    expect(verdict.reasons.filter((r) => r.code === "drift_none").map((r) => [r.path, r.message])).toEqual([
      ["bundle.evidence[1].data.drift", `\`deploy-drift-probe\` evidence[1] (\`iskra\`) found no drift: all ${plan.counts.unchanged} file(s) on \`iskra\` match the repository, so there is nothing to deploy`],
    ]);
  });
});

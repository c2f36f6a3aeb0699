import { describe, expect, it } from "vitest";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";

// A runtime-truth report exactly at its kind's maximum age (1h) still counts, so nothing says it
// is stale; the health snapshot it carries, taken earlier, is over the maximum and must say so.
const policy = await readPolicy();

function judge(reportAt: string, snapshotAt: string) {
  const report = item("runtime-truth-report", { subject: "gw", generated_at: reportAt, data: { health: { ts: Date.parse(snapshotAt) } } });
  return evaluate(inputOf(bundleOf("runtime_diagnostics", [report, item("autoheal-dashboard", { subject: "iskra" })])), policy, NOW);
}

describe("a snapshot older than the maximum inside a report exactly at the maximum", () => {
  it("control: report and snapshot both exactly one hour old are eligible", () => {
    expect(judge("2026-11-21T11:00:00Z", "2026-11-21T11:00:00Z").verdict).toBe("eligible_repair_dry_run");
  });

  it("a snapshot one minute older than that is stale, named at data.health.ts", () => {
    const v = judge("2026-11-21T11:00:00Z", "2026-11-21T10:59:00Z");
    expect(v.verdict).toBe("blocked");
    expect(v.reasons.filter((r) => r.severity !== "info").map((r) => [r.code, r.path])).toEqual([["evidence_stale", "bundle.evidence[0].data.health.ts"]]);
    expect(v.reasons[0]!.message).toContain("taken 1h1m ago, over the policy's 1h maximum for its kind, however fresh the item itself");
  });
});

import { describe, expect, it } from "vitest";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";

// A non-pass status is explained with the producer's own summary, quoted, and points at the
// item's status field; each status gives its own code, with or without a summary.
const policy = await readPolicy();

function judge(dashboard: Partial<Parameters<typeof item>[1]>) {
  const bundle = bundleOf("runtime_diagnostics", [item("runtime-truth-report", { subject: "gw" }), item("autoheal-dashboard", { subject: "iskra", ...dashboard })]);
  return evaluate(inputOf(bundle), policy, NOW);
}

describe("status reasons", () => {
  it.each([
    ["warn", "needs_human", "evidence_warn", "reports `warn`: `disk 91% full`; a human must judge whether it matters"],
    ["unknown", "needs_human", "evidence_unknown", "reports `unknown`: `disk 91% full`; the producer could not tell, so a human must"],
    ["fail", "blocked", "evidence_failed", "reports `fail`: `disk 91% full`; a failed check blocks the repair until it passes"],
  ] as const)("`%s` with a summary quotes it", (status, verdict, code, tail) => {
    const v = judge({ status, summary: "disk 91% full" });
    expect(v.verdict).toBe(verdict);
    expect(v.reasons.map((r) => [r.code, r.path])).toEqual([[code, "bundle.evidence[1].status"]]);
    expect(v.reasons[0]!.message).toBe(`\`autoheal-dashboard\` evidence[1] (\`iskra\`) ${tail}`);
    expect(v.reasons[0]!.evidence).toEqual({ index: 1, kind: "autoheal-dashboard", subject: "iskra" });
  });

  it("without a summary the message says the status alone", () => {
    const v = judge({ status: "unknown" });
    expect(v.reasons[0]!.message).toBe("`autoheal-dashboard` evidence[1] (`iskra`) reports `unknown`; the producer could not tell, so a human must");
  });
});

import { describe, expect, it } from "vitest";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";

// `data.health.ts` is judged as a time only when it is a whole number of epoch milliseconds within
// the span of ISO-8601 years 0000–9999; anything else is unreadable (a human looks), and a time at
// either end of the span is judged as one (far future or long ago: blocked).
const policy = await readPolicy();

function judgeTs(ts: number) {
  const bundle = bundleOf("runtime_diagnostics", [item("runtime-truth-report", { subject: "gw", data: { health: { ts } } }), item("autoheal-dashboard", { subject: "iskra" })]);
  const v = evaluate(inputOf(bundle), policy, NOW);
  return { verdict: v.verdict, reasons: v.reasons.filter((r) => r.severity !== "info").map((r) => [r.code, r.path]) };
}
const AT = "bundle.evidence[0].data.health.ts";

describe("the health snapshot's ts", () => {
  it("control: a whole millisecond count taken with the report is eligible", () => {
    expect(judgeTs(Date.parse("2026-11-21T11:50:00Z")).verdict).toBe("eligible_repair_dry_run");
  });

  it("a fractional millisecond count is no time: unreadable, never eligible", () => {
    expect(judgeTs(Date.parse("2026-11-21T11:50:00Z") + 0.5)).toEqual({ verdict: "needs_human", reasons: [["evidence_unknown", AT]] });
  });

  it("the last millisecond of year 9999 is a time, and far in the future: blocked", () => {
    expect(judgeTs(253_402_300_799_999)).toEqual({ verdict: "blocked", reasons: [["evidence_from_future", AT]] });
  });

  it("the first millisecond of year 0000 is a time, and long ago: blocked", () => {
    expect(judgeTs(-62_167_219_200_000)).toEqual({ verdict: "blocked", reasons: [["evidence_stale", AT]] });
  });

  it("one millisecond past year 9999 is no time: unreadable", () => {
    expect(judgeTs(253_402_300_800_000)).toEqual({ verdict: "needs_human", reasons: [["evidence_unknown", AT]] });
  });
});

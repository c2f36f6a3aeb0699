import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DEFAULT_LIMITS } from "../../src/evidence/artifact-bytes.js";
import { assembleInput, openBundle } from "../../src/evidence/open-bundle.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import type { Verdict } from "../../src/verdict/verdict-types.js";
import { fixture } from "../helpers/paths.js";

// Found by review: `openclaw health --json` dates its snapshot in `ts` (epoch ms), and the gateway
// can answer with a cached one; the gate judged only the report's own generated_at, so a report
// written at 11:50 around a snapshot taken at 08:50 was eligible. The snapshot's time is judged
// like the item's own (src/verdict/rules/observed-time.ts, freshness.ts).
const NOW = Date.parse("2026-11-21T12:00:00Z");
const policy = await readPolicy();

/** The shipped example bundle (eligible at NOW), its runtime-truth report (generated 11:50) carrying a health snapshot taken at `ts`. */
function judgeWithTs(ts: unknown, edit: (item: Record<string, any>) => void = () => {}): Verdict {
  const bundle = parse(readFileSync(fixture("examples/runtime-diagnostics.bundle.yaml"), "utf8")) as Record<string, any>;
  bundle.evidence[0].data.health.ts = ts;
  edit(bundle.evidence[0]);
  const bytes = Buffer.from(JSON.stringify(bundle));
  return evaluate(assembleInput(openBundle("b.json", bytes, DEFAULT_LIMITS), new Map(), DEFAULT_LIMITS), policy, NOW);
}
const at = (iso: string) => Date.parse(iso);
const notInfo = (verdict: Verdict) => verdict.reasons.filter((r) => r.severity !== "info").map((r) => ({ code: r.code, path: r.path }));

describe("runtime-truth-report: the health snapshot's own time (`data.health.ts`)", () => {
  it("a snapshot taken with the report is eligible", () => {
    expect(judgeWithTs(at("2026-11-21T11:50:00Z")).verdict).toBe("eligible_repair_dry_run");
  });

  it("a snapshot three hours older than the report is stale, whatever the report's own time", () => {
    const verdict = judgeWithTs(at("2026-11-21T08:50:00Z"));
    expect(verdict.verdict).toBe("blocked");
    expect(notInfo(verdict)).toEqual([{ code: "evidence_stale", path: "bundle.evidence[0].data.health.ts" }]);
    expect(verdict.reasons[0]!.message).toBe(
      "`runtime-truth-report` evidence[0] (`openclaw-gateway`) carries an `openclaw health --json` snapshot (`data.health.ts`) taken 3h10m ago, over the policy's 1h maximum for its kind, however fresh the item itself; take it again and re-run the gate",
    );
  });

  it("the policy's maximum age is inclusive, as for the item's own time", () => {
    expect(judgeWithTs(at("2026-11-21T11:00:00Z")).verdict).toBe("eligible_repair_dry_run");
    expect(judgeWithTs(at("2026-11-21T10:59:59Z")).verdict).toBe("blocked");
  });

  it("a snapshot dated after the report that carries it, beyond the clock-skew tolerance, is from the future", () => {
    const verdict = judgeWithTs(at("2026-11-22T11:50:00Z"));
    expect(verdict.verdict).toBe("blocked");
    expect(notInfo(verdict)).toEqual([{ code: "evidence_from_future", path: "bundle.evidence[0].data.health.ts" }]);
    expect(verdict.reasons[0]!.message).toBe(
      "`runtime-truth-report` evidence[0] (`openclaw-gateway`) carries an `openclaw health --json` snapshot (`data.health.ts`) dated 1d after the item's own `generated_at`, beyond the 2m clock-skew tolerance; check the producer's clock",
    );
  });

  it("within the clock-skew tolerance after the report, it passes", () => {
    expect(judgeWithTs(at("2026-11-21T11:52:00Z")).verdict).toBe("eligible_repair_dry_run");
    expect(judgeWithTs(at("2026-11-21T11:52:01Z")).verdict).toBe("blocked");
  });

  it("a report dated ahead of now cannot carry a snapshot further ahead than the report", () => {
    const verdict = judgeWithTs(at("2026-11-21T12:01:00Z"), (item) => (item.generated_at = "2026-11-21T12:01:00Z"));
    expect(verdict.verdict).toBe("eligible_repair_dry_run");
    const ahead = judgeWithTs(at("2026-11-21T12:04:00Z"), (item) => (item.generated_at = "2026-11-21T12:01:00Z"));
    expect(notInfo(ahead)).toEqual([{ code: "evidence_from_future", path: "bundle.evidence[0].data.health.ts" }]);
    expect(ahead.reasons[0]!.message).toContain("dated 4m in the future, beyond the 2m clock-skew tolerance");
  });

  it("a report already stale gets one stale reason, not a second for its snapshot", () => {
    const verdict = judgeWithTs(at("2026-11-21T08:00:00Z"), (item) => (item.generated_at = "2026-11-21T09:00:00Z"));
    expect(notInfo(verdict)).toEqual([{ code: "evidence_stale", path: "bundle.evidence[0].generated_at" }]);
  });

  it("is judged whatever the item's status says", () => {
    const verdict = judgeWithTs(at("2026-11-21T08:50:00Z"), (item) => (item.status = "warn"));
    expect(notInfo(verdict).map((r) => r.code).sort()).toEqual(["evidence_stale", "evidence_warn"]);
  });

  it("the item, and so the verdict, stops counting when the snapshot goes stale", () => {
    const verdict = judgeWithTs(at("2026-11-21T11:20:00Z"));
    expect(verdict.verdict).toBe("eligible_repair_dry_run");
    expect(verdict.evidence[0]!.stale_at).toBe("2026-11-21T12:20:00.000Z");
    expect(verdict.valid_until).toBe("2026-11-21T12:20:00.000Z"); // before the dashboard's 12:25
  });

  it.each([
    ["an ISO text", "2026-11-21T11:50:00Z"],
    ["a fraction", 1795261800000.5],
    ["null", null],
    ["a number too large to place in time", 1e20],
    ["a number too small to place in time", -1e20],
  ])("a `ts` that is %s holds the verdict for a human, and does not crash the stale time", (_, ts) => {
    const verdict = judgeWithTs(ts);
    expect(verdict.verdict).toBe("needs_human");
    expect(notInfo(verdict)).toEqual([{ code: "evidence_unknown", path: "bundle.evidence[0].data.health.ts" }]);
    expect(verdict.evidence[0]!.stale_at).toBe("2026-11-21T12:50:00.000Z");
  });

  it("a snapshot from long ago or far ahead, but still a time, is stale or from the future", () => {
    expect(notInfo(judgeWithTs(-1))).toEqual([{ code: "evidence_stale", path: "bundle.evidence[0].data.health.ts" }]);
    expect(notInfo(judgeWithTs(253_402_300_799_999))).toEqual([{ code: "evidence_from_future", path: "bundle.evidence[0].data.health.ts" }]);
  });

  it("is read only in a runtime-truth report", () => {
    const bundle = parse(readFileSync(fixture("examples/runtime-diagnostics.bundle.yaml"), "utf8")) as Record<string, any>;
    bundle.evidence[1].data.health = { ts: at("2026-11-21T08:50:00Z") };
    const bytes = Buffer.from(JSON.stringify(bundle));
    expect(evaluate(assembleInput(openBundle("b.json", bytes, DEFAULT_LIMITS), new Map(), DEFAULT_LIMITS), policy, NOW).verdict).toBe("eligible_repair_dry_run");
  });
});

describe("the spec's own runtime-truth example", () => {
  // It said ts 1795348200000 (2026-11-22T11:50:00Z), a day after the report's generated_at.
  it("dates its `openclaw health --json` snapshot with the report, not after it", () => {
    const example = JSON.parse(readFileSync(fixture("examples/kinds/runtime-truth-report.json"), "utf8"));
    expect(example.data.health.ts).toBe(Date.parse(example.generated_at));
  });
});

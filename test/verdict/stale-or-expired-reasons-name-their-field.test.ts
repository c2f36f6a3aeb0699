import { describe, expect, it } from "vitest";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";

// Each freshness reason names the field that caused it, so the operator fixes the right one: an
// item's own expiry at expires_at, and a snapshot's time inside the data even when the item itself
// is already stale (both are said; neither hides the other).
const policy = await readPolicy();

function judge(runtimeTruth: Partial<Parameters<typeof item>[1]>) {
  const bundle = bundleOf("runtime_diagnostics", [item("runtime-truth-report", { subject: "gw", ...runtimeTruth }), item("autoheal-dashboard", { subject: "iskra" })]);
  return evaluate(inputOf(bundle), policy, NOW);
}
const notInfo = (v: ReturnType<typeof judge>) => v.reasons.filter((r) => r.severity !== "info").map((r) => [r.code, r.path]);

describe("freshness reasons and their paths", () => {
  it("an item past its own expires_at is expired at bundle.evidence[i].expires_at, saying when", () => {
    const v = judge({ expires_at: "2026-11-21T11:50:00Z" });
    expect(v.verdict).toBe("blocked");
    expect(notInfo(v)).toEqual([["evidence_expired", "bundle.evidence[0].expires_at"]]);
    expect(v.reasons[0]!.message).toBe(
      "`runtime-truth-report` evidence[0] (`gw`) expired at 2026-11-21T11:50:00.000Z (its own `expires_at`), 10m ago; produce fresh evidence and re-run the gate",
    );
  });

  it("a stale report carrying a snapshot dated after it gets both reasons: stale at generated_at, from the future at data.health.ts", () => {
    const v = judge({ generated_at: "2026-11-21T10:00:00Z", data: { health: { ts: Date.parse("2026-11-21T11:30:00Z") } } });
    expect(v.verdict).toBe("blocked");
    expect(notInfo(v)).toEqual([
      ["evidence_stale", "bundle.evidence[0].generated_at"],
      ["evidence_from_future", "bundle.evidence[0].data.health.ts"],
    ]);
    expect(v.reasons[1]!.message).toContain("dated 1h30m after the item's own `generated_at`");
  });
});

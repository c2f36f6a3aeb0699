import { describe, expect, it } from "vitest";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";

// An item stops counting at its kind's maximum age or at its own expires_at, whichever comes
// first; the evidence row's stale_at and the verdict's valid_until must say the earlier one.
const policy = await readPolicy();

function judge(runtimeTruth: Partial<Parameters<typeof item>[1]>) {
  const bundle = bundleOf("runtime_diagnostics", [item("runtime-truth-report", { subject: "gw", ...runtimeTruth }), item("autoheal-dashboard", { subject: "iskra" })]);
  return evaluate(inputOf(bundle), policy, NOW);
}

describe("an item's own expires_at bounds when the verdict stops counting", () => {
  it("control: without expires_at, the report counts for its kind's hour and the dashboard's 30 minutes bound the verdict", () => {
    const v = judge({});
    expect(v.verdict).toBe("eligible_repair_dry_run");
    expect(v.evidence[0]!.stale_at).toBe("2026-11-21T12:50:00.000Z");
    expect(v.valid_until).toBe("2026-11-21T12:20:00.000Z");
  });

  it("an expires_at before the kind's maximum age is the item's stale_at and, being the earliest, the verdict's valid_until", () => {
    const v = judge({ expires_at: "2026-11-21T12:10:00Z" });
    expect(v.verdict).toBe("eligible_repair_dry_run");
    expect(v.evidence[0]!.stale_at).toBe("2026-11-21T12:10:00.000Z");
    expect(v.valid_until).toBe("2026-11-21T12:10:00.000Z");
  });

  it("an expires_at after the kind's maximum age changes nothing: the age still bounds it", () => {
    const v = judge({ expires_at: "2026-11-21T18:00:00Z" });
    expect(v.evidence[0]!.stale_at).toBe("2026-11-21T12:50:00.000Z");
    expect(v.valid_until).toBe("2026-11-21T12:20:00.000Z");
  });
});

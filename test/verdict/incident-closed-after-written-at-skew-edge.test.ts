import { describe, expect, it } from "vitest";
import { INCIDENT, judgeEdit, notInfo } from "./green-bundle.js";

// The example's incident packet is written at 11:45:00; the shipped policy tolerates 2 minutes
// of clock skew. A `closed_at` later than that says the incident was still open when written.
const CLOSED = `bundle.evidence[${INCIDENT}].data.closed_at`;

describe("incident-packet: closed after the packet was written", () => {
  it("closed exactly at the skew tolerance past the packet's time is fine", () => {
    const verdict = judgeEdit(INCIDENT, (d) => (d.closed_at = "2026-11-21T11:47:00Z"));
    expect(verdict.verdict).toBe("eligible_repair_dry_run");
  });

  it("closed one second past the skew tolerance holds the verdict", () => {
    const verdict = judgeEdit(INCIDENT, (d) => (d.closed_at = "2026-11-21T11:47:01Z"));
    expect(verdict.verdict).toBe("needs_human");
    expect(notInfo(verdict)).toEqual([{ code: "evidence_data_degraded", path: CLOSED }]);
    expect(verdict.reasons.find((r) => r.code === "evidence_data_degraded")!.message).toContain("after the packet itself was written");
  });

  it("a packet still open (`closed_at: null`) without an `opened_at` holds the verdict", () => {
    const verdict = judgeEdit(INCIDENT, (d) => {
      delete d.opened_at;
      d.closed_at = null;
    });
    expect(verdict.verdict).toBe("needs_human");
    expect(notInfo(verdict)).toEqual([{ code: "evidence_data_degraded", path: CLOSED }]);
  });

  it("closed the same second it opened is fine; a second before it opened is unreadable", () => {
    expect(judgeEdit(INCIDENT, (d) => (d.closed_at = d.opened_at)).verdict).toBe("eligible_repair_dry_run");
    const verdict = judgeEdit(INCIDENT, (d) => (d.closed_at = "2026-11-21T11:36:09Z"));
    expect(verdict.verdict).toBe("needs_human");
    expect(notInfo(verdict)).toEqual([{ code: "evidence_unknown", path: CLOSED }]);
  });
});

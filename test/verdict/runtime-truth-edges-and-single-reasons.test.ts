import { describe, expect, it } from "vitest";
import { judgeEdit, notInfo, RT } from "./green-bundle.js";

// The runtime-truth report's OpenClaw output, at the edges the shipped example does not reach.
const at = (field: string) => `bundle.evidence[${RT}].data.${field}`;

describe("runtime-truth-report: readyz and channel probes at their edges", () => {
  it("`/readyz` answering 199, one below 2xx, blocks the verdict", () => {
    const verdict = judgeEdit(RT, (d) => (d.readyz.status = 199));
    expect(verdict.verdict).toBe("blocked");
    expect(notInfo(verdict)).toEqual([{ code: "evidence_data_failed", path: at("readyz.status") }]);
  });

  it("`/readyz` answering 200 and 299 leaves the report fine", () => {
    expect(judgeEdit(RT, (d) => (d.readyz.status = 200)).verdict).toBe("eligible_repair_dry_run");
    expect(judgeEdit(RT, (d) => (d.readyz.status = 299)).verdict).toBe("eligible_repair_dry_run");
  });

  it("a channel whose probe is `null` is unreadable, not a channel without a probe", () => {
    const verdict = judgeEdit(RT, (d) => (d.health.channels.matrix.probe = null));
    expect(verdict.verdict).toBe("needs_human");
    expect(notInfo(verdict)).toEqual([{ code: "evidence_unknown", path: at("health.channels.matrix.probe") }]);
    expect(verdict.reasons.find((r) => r.code === "evidence_unknown")!.message).toContain("`matrix`");
  });

  it("an account whose probe is `null` is unreadable too", () => {
    const verdict = judgeEdit(RT, (d) => (d.health.channels.matrix.accounts.work.probe = null));
    expect(verdict.verdict).toBe("needs_human");
    expect(notInfo(verdict)).toEqual([{ code: "evidence_unknown", path: at("health.channels.matrix.accounts.work.probe") }]);
  });

  it("several unreadable channel probes are one reason, pointing at the first in the report's order", () => {
    const verdict = judgeEdit(RT, (d) => {
      d.health.channels.signal.probe = { status: 503, error: "timeout" };
      d.health.channels.matrix.probe.ok = "yes";
    });
    expect(verdict.verdict).toBe("needs_human");
    expect(notInfo(verdict)).toEqual([{ code: "evidence_unknown", path: at("health.channels.signal.probe.ok") }]);
    const message = verdict.reasons.find((r) => r.code === "evidence_unknown")!.message;
    expect(message).toContain("`signal` and `matrix`");
    expect(message).toContain("is absent");
  });
});

describe("runtime-truth-report: the check summary", () => {
  it("a single skipped check holds the verdict: a skip is not a pass", () => {
    const verdict = judgeEdit(RT, (d) => Object.assign(d.summary, { pass: 18, skip: 1 }));
    expect(verdict.verdict).toBe("needs_human");
    expect(notInfo(verdict)).toEqual([{ code: "evidence_data_degraded", path: at("summary.skip") }]);
    expect(verdict.reasons.find((r) => r.code === "evidence_data_degraded")!.message).toContain("1 of `19` checks were skipped");
  });

  it("a failure count below one (`fail: 0.5`) still says checks failed: blocked, not only unreadable", () => {
    const verdict = judgeEdit(RT, (d) => (d.summary.fail = 0.5));
    expect(verdict.verdict).toBe("blocked");
    expect(notInfo(verdict)).toEqual([{ code: "evidence_data_failed", path: at("summary.fail") }]);
  });

  it("failed checks with `ok: false` are one failure, at `fail`, not two", () => {
    const verdict = judgeEdit(RT, (d) => Object.assign(d.summary, { pass: 16, fail: 3, ok: false }));
    expect(verdict.verdict).toBe("blocked");
    expect(notInfo(verdict)).toEqual([{ code: "evidence_data_failed", path: at("summary.fail") }]);
  });

  it("`ok: false` with checks unaccounted for is one failure, at `ok`, without a second hold at `pass`", () => {
    const verdict = judgeEdit(RT, (d) => Object.assign(d.summary, { pass: 17, ok: false }));
    expect(verdict.verdict).toBe("blocked");
    expect(notInfo(verdict)).toEqual([{ code: "evidence_data_failed", path: at("summary.ok") }]);
  });
});

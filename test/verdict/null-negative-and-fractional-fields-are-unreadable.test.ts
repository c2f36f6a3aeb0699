import { describe, expect, it } from "vitest";
import { AUTOHEAL, judgeEdit, notInfo, RT, SIMULATOR } from "./green-bundle.js";

// A documented field present with `null`, a negative count or a fraction is not absent and not
// fine: the gate cannot read it, so the item counts as unknown and the verdict is held.
const at = (index: number, field: string) => `bundle.evidence[${index}].data.${field}`;

describe("a documented field holding `null` is unreadable, never absent", () => {
  const cases: [string, number, (d: Record<string, any>) => void, string][] = [
    ["readyz: null (an object)", RT, (d) => (d.readyz = null), "readyz"],
    ["readyz.draining: null (a boolean)", RT, (d) => (d.readyz.draining = null), "readyz.draining"],
    ["unit.active: null (a text)", RT, (d) => (d.unit.active = null), "unit.active"],
    ["open_incidents: null (a count)", AUTOHEAL, (d) => (d.open_incidents = null), "open_incidents"],
    ["last_run.result: null (a text)", AUTOHEAL, (d) => (d.last_run.result = null), "last_run.result"],
  ];
  for (const [name, index, edit, field] of cases) {
    it(name, () => {
      const verdict = judgeEdit(index, edit);
      expect(verdict.verdict).toBe("needs_human");
      expect(notInfo(verdict)).toEqual([{ code: "evidence_unknown", path: at(index, field) }]);
      expect(verdict.reasons.find((r) => r.code === "evidence_unknown")!.message).toContain("is `null`, not");
    });
  }
});

describe("a count that is negative or a fraction is unreadable, never fine", () => {
  const cases: [string, number, (d: Record<string, any>) => void, string][] = [
    ["summary.fail: -1", RT, (d) => (d.summary.fail = -1), "summary.fail"],
    ["summary.skip: -2", RT, (d) => (d.summary.skip = -2), "summary.skip"],
    ["open_incidents: -1", AUTOHEAL, (d) => (d.open_incidents = -1), "open_incidents"],
    ["readyz.status: 200.5", RT, (d) => (d.readyz.status = 200.5), "readyz.status"],
    ["coverage.covered: 2.5 of 2", SIMULATOR, (d) => (d.coverage.covered = 2.5), "coverage.covered"],
  ];
  for (const [name, index, edit, field] of cases) {
    it(name, () => {
      const verdict = judgeEdit(index, edit);
      expect(verdict.verdict).toBe("needs_human");
      expect(notInfo(verdict)).toEqual([{ code: "evidence_unknown", path: at(index, field) }]);
      expect(verdict.reasons.find((r) => r.code === "evidence_unknown")!.message).toContain("not a whole number");
    });
  }
});

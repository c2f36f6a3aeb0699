import { describe, expect, it } from "vitest";
import { judgeEdit, KIT_COMPAT, KIT_COVERAGE, KIT_GATES, notInfo } from "./green-bundle.js";

// Words of the kit that sit where the kit would not write them are not read as the kit's word.
const at = (index: number, field: string) => `bundle.evidence[${index}].data.${field}`;

describe("conservative-gates.json: a gate decision written as a bare word", () => {
  it("`decisions: [..., \"pass\"]` is unreadable, not a passed gate", () => {
    const verdict = judgeEdit(KIT_GATES, (d) => (d.decisions[2] = "pass"));
    expect(verdict.verdict).toBe("needs_human");
    expect(notInfo(verdict)).toEqual([{ code: "evidence_unknown", path: at(KIT_GATES, "decisions[2]") }]);
    const message = verdict.reasons.find((r) => r.code === "evidence_unknown")!.message;
    expect(message).toContain("`decisions[2]`");
    expect(message).toContain("not an object");
  });
});

describe("a kit rehearsal file's own `status: blocked` blocks, as `failed` does", () => {
  for (const [name, index] of [["customization-compatibility.json", KIT_COMPAT], ["coverage-report.json", KIT_COVERAGE]] as const) {
    it(name, () => {
      const verdict = judgeEdit(index, (d) => (d.status = "blocked"));
      expect(verdict.verdict).toBe("blocked");
      expect(notInfo(verdict)).toEqual([{ code: "evidence_data_failed", path: at(index, "status") }]);
      expect(verdict.reasons.find((r) => r.code === "evidence_data_failed")!.message).toContain("never upgrades the kit's `blocked`");
    });
  }
});

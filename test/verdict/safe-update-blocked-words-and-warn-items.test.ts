import { describe, expect, it } from "vitest";
import { judgeEdit, KIT_GATES, KIT_VERDICT, notInfo, SAFE_UPDATE } from "./green-bundle.js";

// The safe-update kit's `blocked` is its failure wherever a status may carry it, and an item that
// says less than `pass` still has its data read.
const at = (index: number, field: string) => `bundle.evidence[${index}].data.${field}`;

describe("the kit's `blocked` in a status field blocks, never only holds", () => {
  it("conservative-gates.json with `status: blocked`", () => {
    const verdict = judgeEdit(KIT_GATES, (d) => (d.status = "blocked"));
    expect(verdict.verdict).toBe("blocked");
    expect(notInfo(verdict)).toEqual([{ code: "evidence_data_failed", path: at(KIT_GATES, "status") }]);
  });

  it("verdict.json recording an artifact's status as `blocked`", () => {
    const verdict = judgeEdit(KIT_VERDICT, (d) => (d.decision_content.evidence_status.installation_attestation = "blocked"));
    expect(verdict.verdict).toBe("blocked");
    expect(notInfo(verdict)).toEqual([{ code: "evidence_data_failed", path: at(KIT_VERDICT, "decision_content.evidence_status.installation_attestation") }]);
  });

  it("a hand-written gate decision with `status: blocked`", () => {
    const verdict = judgeEdit(SAFE_UPDATE, (d) => (d.gate_decision.status = "blocked"));
    expect(verdict.verdict).toBe("blocked");
    expect(notInfo(verdict)).toEqual([{ code: "evidence_data_failed", path: at(SAFE_UPDATE, "gate_decision.status") }]);
  });

  it("verdict.json's own gate decision with `status: blocked`", () => {
    const verdict = judgeEdit(KIT_VERDICT, (d) => (d.decision_content.gate_decision.status = "blocked"));
    expect(verdict.verdict).toBe("blocked");
    expect(notInfo(verdict)).toEqual([{ code: "evidence_data_failed", path: at(KIT_VERDICT, "decision_content.gate_decision.status") }]);
  });
});

describe("a safe-update item that says `warn` or `unknown` is still read", () => {
  for (const status of ["warn", "unknown"]) {
    it(`an item saying \`${status}\` whose kit verdict is \`blocked\` blocks`, () => {
      const verdict = judgeEdit(SAFE_UPDATE, (d, item) => {
        item.status = status;
        d.verdict = "blocked";
      });
      expect(verdict.verdict).toBe("blocked");
      const failed = verdict.reasons.filter((r) => r.code === "evidence_data_failed");
      expect(failed.map((r) => r.path)).toEqual([at(SAFE_UPDATE, "verdict")]);
      expect(failed[0]!.message).toContain(`reports \`${status}\`, but`);
    });
  }
});

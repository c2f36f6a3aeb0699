import { describe, expect, it } from "vitest";
import { AUTOHEAL, judgeEdit, notInfo, RT, SIMULATOR } from "./green-bundle.js";

// An item that says `warn` or `unknown` already holds the verdict, but a failure in its data is
// worse: it blocks, with a reason naming the failed field.
const at = (index: number, field: string) => `bundle.evidence[${index}].data.${field}`;

describe("a failure in the data of an item that says less than `pass` blocks", () => {
  const cases: [string, number, (d: Record<string, any>) => void, string][] = [
    ["autoheal-dashboard: a check not ok", AUTOHEAL, (d) => (d.checks[1].ok = false), "checks[1].ok"],
    ["openclaw-upgrade-simulator: a customization check failed", SIMULATOR, (d) => (d.customization_checks["runtime-hook"] = "failed"), "customization_checks.runtime-hook"],
    ["runtime-truth-report: unit not active", RT, (d) => (d.unit.active = "failed"), "unit.active"],
  ];
  for (const status of ["warn", "unknown"]) {
    for (const [name, index, edit, field] of cases) {
      it(`${name}, in an item saying \`${status}\``, () => {
        const verdict = judgeEdit(index, (d, item) => {
          item.status = status;
          edit(d);
        });
        expect(verdict.verdict).toBe("blocked");
        const failed = verdict.reasons.filter((r) => r.code === "evidence_data_failed");
        expect(failed.map((r) => r.path)).toEqual([at(index, field)]);
        expect(failed[0]!.message).toContain(`reports \`${status}\`, but`);
      });
    }
  }
});

describe("autoheal-dashboard: a check that is not an object", () => {
  for (const [name, value, shown] of [["a bare word", "ok", "the text `ok`"], ["null", null, "`null`"], ["a number", 1, "the number `1`"]] as const) {
    it(`${name} is unreadable, never a passed check`, () => {
      const verdict = judgeEdit(AUTOHEAL, (d) => (d.checks[2] = value));
      expect(verdict.verdict).toBe("needs_human");
      expect(notInfo(verdict)).toEqual([{ code: "evidence_unknown", path: at(AUTOHEAL, "checks[2]") }]);
      const message = verdict.reasons.find((r) => r.code === "evidence_unknown")!.message;
      expect(message).toContain("`checks[2]`");
      expect(message).toContain(`is ${shown}, not an object`);
    });
  }
});

describe("a hold in the data of an item that already holds adds no second reason", () => {
  for (const status of ["warn", "unknown"]) {
    it(`an open incident on a dashboard saying \`${status}\` is held once, by its status`, () => {
      const verdict = judgeEdit(AUTOHEAL, (d, item) => {
        item.status = status;
        d.open_incidents = 2;
      });
      expect(verdict.verdict).toBe("needs_human");
      expect(verdict.reasons.filter((r) => r.code === "evidence_data_degraded" || r.code === "evidence_unknown" && r.path?.includes(".data."))).toEqual([]);
      expect(verdict.reasons.some((r) => r.evidence?.index === AUTOHEAL)).toBe(true);
    });
  }
});

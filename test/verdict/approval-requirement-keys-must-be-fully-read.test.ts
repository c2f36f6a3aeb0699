import { describe, expect, it } from "vitest";
import { formatPath } from "../../src/diagnostics/diagnostic.js";
import { codes, greenBundle, judge } from "./adversarial/helpers.js";

// A key that describes a requirement for approval (`approval_required`) is no claim, but only
// when every one of its letters is read: a letter the folding cannot read stands for any letter,
// so a key carrying one besides the requirement's letters may say anything and is judged as a
// claim. Look-alike letters the folding does read keep a requirement key a requirement.
describe("requirement keys and letters that cannot be read", () => {
  it("control: approval_required: true is a requirement, not a claim", () => {
    expect(judge(greenBundle({ data: { approval_required: true } })).verdict).toBe("eligible_repair_dry_run");
  });

  it.each([
    ["a dotless ı (U+0131) between its words", "approval_\u0131required"],
    ["a digit 1 after it", "approval_required1"],
    ["an Armenian օ (U+0585) before it", "\u0585approval_required"],
  ])("approval_required with %s is a claim, and holds the verdict", (_name, key) => {
    const verdict = judge(greenBundle({ data: { [key]: true } }));
    expect(verdict.verdict).toBe("needs_human");
    expect(codes(verdict).filter((code) => code !== "dry_run_only")).toEqual(["approval_claim_ignored"]);
    expect(verdict.reasons[0]!.path).toBe(formatPath("bundle.evidence", [0, "data", key]));
  });

  it("approval_required spelled with a Cyrillic а (U+0430), which reads as a, is still a requirement", () => {
    expect(judge(greenBundle({ data: { "\u0430pproval_required": true } })).verdict).toBe("eligible_repair_dry_run");
    expect(judge(greenBundle({ data: { "requires_\u0430pproval": "yes" } })).verdict).toBe("eligible_repair_dry_run");
  });
});

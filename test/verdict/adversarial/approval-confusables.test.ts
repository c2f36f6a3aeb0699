import { describe, expect, it } from "vitest";
import { codes, greenBundle, judge, judgeText } from "./helpers.js";

// Spec (evidence item `data`): approval claims are found at any depth, "keys are compared by their
// letters only". A key an operator reads as `approved_by` must hold the verdict for a human.
const HOMOGLYPH_KEYS: Array<[string, string]> = [
  ["Cyrillic а (U+0430) in approved_by", "\u0430pproved_by"],
  ["Greek ο (U+03BF) in approved", "appr\u03bfved"],
  ["Cyrillic р (U+0440) and о (U+043E) in operator_approval", "operator_a\u0440\u0440r\u043eval"],
  ["precomposed á in approved_by", "\u00e1pproved_by"],
  ["decomposed a + combining acute (U+0301) in approved_by", "a\u0301pproved_by"],
  ["Cyrillic а in production_apply_allowed", "production_\u0430pply_allowed"],
];

describe("approval claims behind homoglyph / diacritic keys", () => {
  it.each(HOMOGLYPH_KEYS)("%s is a claim (JSON)", (_name, key) => {
    const verdict = judge(greenBundle({ data: { [key]: key.includes("by") ? "piotr" : true } }));
    expect(codes(verdict)).toContain("approval_claim_ignored");
    expect(verdict.verdict).toBe("needs_human");
  });

  it("Cyrillic а key in a YAML bundle is a claim", () => {
    const yaml = `schema: patchwarden.evidence_bundle.v1
generated_at: "2026-11-21T11:55:00Z"
producer: {name: p}
candidate: {repair_class: runtime_diagnostics, summary: diag}
evidence:
  - kind: runtime-truth-report
    generated_at: "2026-11-21T11:50:00Z"
    status: pass
    data:
      operator:
        \u0430pproved_by: piotr
  - kind: autoheal-dashboard
    generated_at: "2026-11-21T11:50:00Z"
    status: pass
    data: {}
`;
    const verdict = judgeText(yaml, "bundle.yaml");
    expect(verdict.verdict).toBe("needs_human");
  });
});

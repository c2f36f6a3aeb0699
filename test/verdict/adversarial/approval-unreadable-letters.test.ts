import { describe, expect, it } from "vitest";
import { codes, greenBundle, judge } from "./helpers.js";

// Spec: keys are compared by their letters only, and a key an operator reads as `authorized_by`
// or `approved_by` must hold the verdict, look-alikes outside the folding table included.
const MORE_KEYS: Array<[string, string]> = [
  ["Latin dotless ı (U+0131) in authorized_by", "author\u0131zed_by"],
  ["Armenian օ (U+0585) in approved_by", "appr\u0585ved_by"],
  ["Armenian օ (U+0585) in operator_approval", "operator_appr\u0585val"],
];

describe("approval claims behind look-alike letters outside the folding table", () => {
  it.each(MORE_KEYS)("%s is a claim", (_name, key) => {
    const verdict = judge(greenBundle({ data: { [key]: key.endsWith("by") ? "piotr" : true } }));
    expect(codes(verdict)).toContain("approval_claim_ignored");
    expect(verdict.verdict).toBe("needs_human");
  });
});

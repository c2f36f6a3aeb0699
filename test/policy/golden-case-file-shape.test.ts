import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../src/diagnostics/diagnostic.js";
import { validateWith } from "../../src/diagnostics/zod-diagnostics.js";
import { goldenCaseSchema } from "../../src/policy/cases/case-schema.js";

const base = { description: "d", now: "2026-11-21T12:00:00Z", expect: { verdict: "blocked", reasons: ["bundle_malformed"] } };

function problems(value: unknown): string[] {
  const result = validateWith(goldenCaseSchema, value, "case");
  return result.ok ? [] : result.diagnostics.map(formatDiagnostic);
}

describe("a golden case file", () => {
  it("is accepted with a bundle path, or with an inline bundle", () => {
    expect(problems({ ...base, bundle: "b.json" })).toEqual([]);
    expect(problems({ ...base, bundle_inline: { schema: "x" } })).toEqual([]);
    expect(problems({ ...base, bundle: "b.json", policy: "../p.toml" })).toEqual([]);
  });

  it("is refused when it gives both a bundle path and an inline bundle", () => {
    expect(problems({ ...base, bundle: "b.json", bundle_inline: { schema: "x" } })).toEqual(["case: give exactly one of `bundle` (a path) and `bundle_inline` (the bundle itself)"]);
  });

  it("is refused when it gives no bundle at all", () => {
    expect(problems(base)).toEqual(["case: give exactly one of `bundle` (a path) and `bundle_inline` (the bundle itself)"]);
  });

  it("is refused with an empty description, bundle path or policy path", () => {
    expect(problems({ ...base, description: "", bundle: "b.json" })).toEqual(["case.description: must not be empty"]);
    expect(problems({ ...base, bundle: "" })).toEqual(["case.bundle: must not be empty"]);
    expect(problems({ ...base, bundle: "b.json", policy: "" })).toEqual(["case.policy: must not be empty"]);
  });

  it("refuses a misspelt key at the top, with a suggestion, rather than ignoring it", () => {
    expect(problems({ ...base, bundle: "b.json", polcy: "../p.toml" })).toEqual(["case.polcy: unknown key `polcy`; did you mean `policy`?"]);
  });

  it("refuses an unknown key under expect, rather than ignoring what the author expected", () => {
    expect(problems({ ...base, bundle: "b.json", expect: { ...base.expect, reason: ["dry_run_only"] } })).toEqual([
      "case.expect.reason: unknown key `reason`; did you mean `reasons`?",
    ]);
  });

  it("names a misspelt reason code with the code it likely meant", () => {
    expect(problems({ ...base, bundle: "b.json", expect: { verdict: "blocked", reasons: ["bundle_malformed", "dry_run_onyl"] } })).toEqual([
      "case.expect.reasons[1]: unknown reason code `dry_run_onyl`; did you mean `dry_run_only`?",
    ]);
  });
});

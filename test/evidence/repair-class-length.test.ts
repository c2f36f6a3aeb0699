import { describe, expect, it } from "vitest";
import { bundleJsonSchema } from "../../src/evidence/bundle-json-schema.js";
import { evidenceBundleSchema } from "../../src/evidence/bundle-schema.js";
import { validateBundle } from "../../src/evidence/validate-bundle.js";
import { bundleOf, item } from "../helpers/bundles.js";

// A receipt records `repair_class` in at most 200 characters: a longer one must be refused as an
// invalid bundle (blocked, with a reason), not reach the log and be refused there (an internal error).
const withClass = (repairClass: string) => bundleOf(repairClass, [item("runtime-truth-report")]);

describe("candidate.repair_class", () => {
  it("is at most 200 characters, by zod and by the JSON Schema fast path alike", () => {
    const fits = withClass(`a${"x".repeat(199)}`);
    expect(validateBundle(fits).ok).toBe(true);
    expect(evidenceBundleSchema.safeParse(fits).success).toBe(true);
    const long = withClass(`a${"x".repeat(200)}`);
    expect(validateBundle(long)).toEqual({ ok: false, diagnostics: [expect.objectContaining({ path: "bundle.candidate.repair_class", message: "is longer than 200 characters" })] });
    expect(evidenceBundleSchema.safeParse(long).success).toBe(false);
  });

  it("states the limit in the generated JSON Schema", () => {
    const schema = bundleJsonSchema() as { properties: { candidate: { properties: { repair_class: { maxLength?: number } } } } };
    expect(schema.properties.candidate.properties.repair_class.maxLength).toBe(200);
  });
});

import { describe, expect, it, vi } from "vitest";
import { bundleOf, item } from "../helpers/bundles.js";

// A fast path stricter than the contract stands in for the two validators ever disagreeing.
vi.mock("../../src/evidence/bundle-json-schema.js", () => ({
  bundleJsonSchema: () => ({ $schema: "https://json-schema.org/draft/2020-12/schema", type: "object", properties: { schema: { const: "no-such-schema" } } }),
}));

const { validateBundle } = await import("../../src/evidence/validate-bundle.js");

describe("a bundle the fast path rejects but the explained contract accepts", () => {
  it("is refused, with a diagnostic, rather than accepted", () => {
    const bundle = bundleOf("runtime_diagnostics", [item("runtime-truth-report", { subject: "gateway" })]);
    const result = validateBundle(bundle);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.diagnostics.length).toBeGreaterThan(0);
  });
});

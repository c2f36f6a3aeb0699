import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUNDLE_JSON_SCHEMA_FILE, bundleJsonSchema } from "../../src/evidence/bundle-json-schema.js";
import { EVIDENCE_KINDS } from "../../src/evidence/kinds.js";
import { REPO_ROOT } from "../helpers/paths.js";

describe("evidence bundle JSON Schema", () => {
  it("in docs/schemas is exactly what the zod definition generates (run `npm run schemas` after changing the contract)", () => {
    const committed = JSON.parse(readFileSync(join(REPO_ROOT, BUNDLE_JSON_SCHEMA_FILE), "utf8")) as unknown;
    expect(committed).toEqual(bundleJsonSchema());
  });

  it("carries the contract's rules: strict objects, every evidence kind, artifact needs sha256", () => {
    const schema = bundleJsonSchema() as { additionalProperties: boolean; required: string[]; properties: { evidence: { items: Record<string, unknown> } } };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(["schema", "generated_at", "producer", "candidate", "evidence"]);
    const item = schema.properties.evidence.items as { dependentRequired: unknown; properties: { kind: { enum: string[] } }; additionalProperties: boolean };
    expect(item.properties.kind.enum).toEqual([...EVIDENCE_KINDS]);
    expect(item.dependentRequired).toEqual({ artifact: ["sha256"] });
    expect(item.additionalProperties).toBe(false);
  });
});

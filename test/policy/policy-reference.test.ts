import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { policyDocumentSchema } from "../../src/policy/policy-schema.js";
import { REASON_CODES } from "../../src/verdict/reason-codes.js";
import { REPO_ROOT } from "../helpers/paths.js";

const reference = readFileSync(join(REPO_ROOT, "docs/policy-reference.md"), "utf8");

/** Every key the policy schema accepts, at any depth (record keys are user names and skipped). */
function schemaKeys(schema: unknown, out = new Set<string>()): Set<string> {
  const def = (schema as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
  if (!def) return out;
  if (def["shape"]) {
    for (const [key, child] of Object.entries(def["shape"] as Record<string, unknown>)) {
      if (!/^[a-z]+(?:-[a-z]+)+$/.test(key)) out.add(key); // evidence kinds are documented as a list
      schemaKeys(child, out);
    }
  }
  for (const inner of ["innerType", "in", "out", "valueType", "element", "schema"]) if (def[inner]) schemaKeys(def[inner], out);
  return out;
}

describe("docs/policy-reference.md", () => {
  it("documents every key the policy accepts", () => {
    const keys = schemaKeys(policyDocumentSchema);
    expect(keys.size).toBeGreaterThan(12);
    for (const key of keys) expect(reference, key).toContain(`| \`${key}\` |`);
  });

  it("lists every reason code with its effect", () => {
    for (const [code, { severity }] of Object.entries(REASON_CODES)) {
      const effect = { block: "`blocked`", hold: "at best `needs_human`", info: "none (explains)" }[severity];
      expect(reference, code).toContain(`| \`${code}\` | ${effect} |`);
    }
  });
});

import { describe, expect, it } from "vitest";
import { compileFastPath, fastPathDiagnostics } from "../../src/diagnostics/ajv-fast-path.js";

const schema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  properties: { evidence: { type: "array", items: { type: "object", properties: { kind: { type: "string" }, data: { type: "object" } } } } },
};

describe("the fast path's own refusals", () => {
  it("are placed at the path of the refused value, list indexes in brackets", () => {
    const validate = compileFastPath(schema);
    const value = { evidence: [{ kind: "a" }, { kind: 7 }] };
    expect(validate(value)).toBe(false);
    const diagnostics = fastPathDiagnostics(validate, value, "bundle", "bundle");
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.path).toBe("bundle.evidence[1].kind");
    expect(diagnostics[0]!.message).toMatch(/^must be string by the contract's JSON Schema, though its zod definition accepts it; the bundle is refused to be safe: please report this with the bundle$/);
  });

  it("still explain the refusal when the fast path left no reason", () => {
    const validate = compileFastPath(schema);
    expect(validate({ evidence: [] })).toBe(true);
    expect(fastPathDiagnostics(validate, { evidence: [] }, "plan", "plan")).toEqual([
      { path: "plan", message: "the plan was refused by a check its schema does not state; please report this with the plan" },
    ]);
  });

  it("name keys as the contract's own refusals do: a key with a slash or tilde decoded and quoted, a key of digits in an object not read as a list index", () => {
    const validate = compileFastPath({ type: "object", additionalProperties: { type: "object", additionalProperties: { type: "string" } } });
    const value = { "a/b~c": { "10": 7 } };
    expect(validate(value)).toBe(false);
    expect(fastPathDiagnostics(validate, value, "bundle", "bundle").map((d) => d.path)).toEqual(['bundle["a/b~c"]["10"]']);
  });

  it("read patterns as zod does, one UTF-16 unit per dot", () => {
    const validate = compileFastPath({ type: "string", pattern: "^.$" });
    expect(validate("a")).toBe(true);
    // zod's RegExp has no `u` flag: an astral character is two units and does not match `^.$`.
    expect(/^.$/.test("\u{1F600}")).toBe(false);
    expect(validate("\u{1F600}")).toBe(false);
  });

  it("count string lengths in code points, as zod does", () => {
    const validate = compileFastPath({ type: "string", maxLength: 1 });
    expect(validate("\u{1F600}")).toBe(true);
    expect(validate("ab")).toBe(false);
  });

  it("refuse to compile a schema with a keyword it does not know, rather than ignore the constraint", () => {
    expect(() => compileFastPath({ type: "string", maxLenght: 3 })).toThrow();
  });
});

import { describe, expect, it } from "vitest";
import { checkPlainValue } from "../../src/document/plain-value.js";

const check = (value: unknown, maxDepth = 64) => checkPlainValue(value, "bundle", maxDepth);

describe("checkPlainValue", () => {
  it("accepts plain JSON data, including objects without a prototype", () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare["approved"] = false;
    expect(check({ a: [1, "two", true, null, { b: -0.5 }], bare })).toBeNull();
    expect(check("text")).toBeNull();
    expect(check(null)).toBeNull();
  });

  it("refuses the values YAML tags make, which hide their contents from the schema and the claim walk", () => {
    const cases: Array<[unknown, string]> = [
      [new Map([["approved", true]]), "Map"],
      [new Set(["approved_by"]), "Set"],
      [new Date(0), "Date"],
      [Uint8Array.from([1, 2]), "Uint8Array"],
    ];
    for (const [value, name] of cases) {
      expect(check({ evidence: [{ data: value }] }), name).toEqual({
        kind: "not_plain",
        path: "bundle.evidence[0].data",
        message: `the value is a \`${name}\`, not JSON data; write plain mappings, lists and scalars, without tags such as \`!!omap\`, \`!!set\`, \`!!binary\` or \`!!timestamp\``,
      });
    }
    expect(check(new Map())).toMatchObject({ kind: "not_plain", path: "bundle" });
  });

  it("refuses numbers and values JSON has no form for", () => {
    expect(check({ a: Number.NaN })).toEqual({ kind: "not_plain", path: "bundle.a", message: "the number `NaN` has no JSON form; quote it if it is text, or remove it" });
    expect(check([1, Number.NEGATIVE_INFINITY])).toMatchObject({ kind: "not_plain", path: "bundle[1]", message: expect.stringMatching(/^the number `-Infinity`/) });
    expect(check({ a: undefined })).toMatchObject({ kind: "not_plain", path: "bundle.a", message: expect.stringMatching(/^the value is `undefined`/) });
    expect(check({ a: 1n })).toMatchObject({ kind: "not_plain", message: expect.stringMatching(/^the value is `bigint`/) });
  });

  it("bounds depth the way the JSON check does, and so ends on a cycle", () => {
    let nested: unknown = "leaf";
    for (let i = 0; i < 3; i++) nested = { k: nested };
    expect(check(nested, 3)).toBeNull();
    expect(check({ k: nested }, 3)).toEqual({ kind: "too_deep", path: "bundle.k.k.k" });
    const cycle: unknown[] = [];
    cycle.push(cycle);
    expect(check(cycle, 5)).toEqual({ kind: "too_deep", path: "bundle[0][0][0][0][0]" });
  });
});

import * as z from "zod";
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../src/diagnostics/diagnostic.js";
import { validateWith } from "../../src/diagnostics/zod-diagnostics.js";

function problems(schema: z.ZodType, value: unknown): string[] {
  const result = validateWith(schema, value, "doc");
  if (result.ok) throw new Error("expected the value to be refused");
  return result.diagnostics.map(formatDiagnostic);
}

describe("schema refusals read as path-first, lowercase instructions", () => {
  it("accept a valid value and hand it back", () => {
    expect(validateWith(z.strictObject({ a: z.string() }), { a: "x" }, "doc")).toEqual({ ok: true, value: { a: "x" } });
  });

  it("give each unknown key its own line, at its own path, with its own suggestion", () => {
    const schema = z.strictObject({ inner: z.strictObject({ verdict: z.string(), reasons: z.array(z.string()) }) });
    expect(problems(schema, { inner: { verdict: "x", reasons: [], verdcit: 1, colour: 2, reasonz: 3 } })).toEqual([
      "doc.inner.verdcit: unknown key `verdcit`; did you mean `verdict`?",
      "doc.inner.colour: unknown key `colour`; remove it or check its spelling",
      "doc.inner.reasonz: unknown key `reasonz`; did you mean `reasons`?",
    ]);
  });

  it("call a left-out field missing, whatever its type", () => {
    const schema = z.strictObject({ name: z.string(), verdict: z.enum(["blocked", "needs_human"]), kind: z.literal("one") });
    expect(problems(schema, {})).toEqual(["doc.name: missing; add it", "doc.verdict: missing; add it", "doc.kind: missing; add it"]);
  });

  it("name the expected type with its article and describe what came instead", () => {
    expect(problems(z.strictObject({ a: z.object({}) }), { a: "x" })).toEqual(["doc.a: expected an object, got the text `x`"]);
    expect(problems(z.strictObject({ a: z.array(z.string()) }), { a: { b: 1 } })).toEqual(["doc.a: expected an array, got an object"]);
    expect(problems(z.strictObject({ a: z.string() }), { a: [1] })).toEqual(["doc.a: expected a string, got a list"]);
    expect(problems(z.strictObject({ a: z.string() }), { a: null })).toEqual(["doc.a: expected a string, got `null`"]);
  });

  it("suggest the nearest allowed value, or list them all when none is near", () => {
    const schema = z.strictObject({ v: z.enum(["blocked", "needs_human"]) });
    expect(problems(schema, { v: "blokced" })).toEqual(["doc.v: unknown value `blokced`; did you mean `blocked`?"]);
    expect(problems(schema, { v: "zzz" })).toEqual(["doc.v: unknown value `zzz`; expected one of `blocked`, `needs_human`"]);
    expect(problems(schema, { v: 3 })).toEqual(["doc.v: unknown value `3`; expected one of `blocked`, `needs_human`"]);
  });

  it("quote the one value a literal allows", () => {
    expect(problems(z.strictObject({ s: z.literal("patchwarden.bundle/v1") }), { s: "patchwarden.bundle/v2" })).toEqual([
      "doc.s: expected `patchwarden.bundle/v1`, got the text `patchwarden.bundle/v2`",
    ]);
  });

  it("state bounds as inclusive or exclusive, as the schema does", () => {
    expect(problems(z.strictObject({ n: z.number().min(1) }), { n: 0 })).toEqual(["doc.n: must be at least 1, got `0`"]);
    expect(problems(z.strictObject({ n: z.number().positive() }), { n: 0 })).toEqual(["doc.n: must be more than 0, got `0`"]);
    expect(problems(z.strictObject({ n: z.number().max(5) }), { n: 6 })).toEqual(["doc.n: must be at most 5, got `6`"]);
    expect(problems(z.strictObject({ n: z.number().lt(5) }), { n: 5 })).toEqual(["doc.n: must be less than 5, got `5`"]);
  });

  it("say what is wrong with the size of text and lists", () => {
    expect(problems(z.strictObject({ s: z.string().min(1) }), { s: "" })).toEqual(["doc.s: must not be empty"]);
    expect(problems(z.strictObject({ s: z.string().min(3) }), { s: "ab" })).toEqual(["doc.s: is shorter than 3 characters"]);
    expect(problems(z.strictObject({ s: z.string().max(3) }), { s: "abcd" })).toEqual(["doc.s: is longer than 3 characters"]);
    expect(problems(z.strictObject({ l: z.array(z.string()).min(2) }), { l: ["a"] })).toEqual(["doc.l: needs at least 2 item(s)"]);
    expect(problems(z.strictObject({ l: z.array(z.string()).max(1) }), { l: ["a", "b"] })).toEqual(["doc.l: has more than 1 items"]);
  });

  it("show how to write a time, and name other formats", () => {
    expect(problems(z.strictObject({ t: z.iso.datetime({ offset: true }) }), { t: "yesterday" })).toEqual([
      "doc.t: the text `yesterday` is not an ISO-8601 time with seconds and an explicit offset; write it like `2026-11-21T04:44:47Z` or `2026-11-21T05:44:47+01:00`",
    ]);
    expect(problems(z.strictObject({ u: z.url() }), { u: "not a url" })).toEqual(["doc.u: the text `not a url` is not a valid url"]);
  });

  it("say that a value fits none of a union's shapes", () => {
    const schema = z.strictObject({ x: z.union([z.strictObject({ a: z.string() }), z.number()]) });
    expect(problems(schema, { x: true })).toEqual(["doc.x: `true` matches none of the accepted shapes"]);
  });

  it("report every problem at once, each at its list index", () => {
    const schema = z.strictObject({ items: z.array(z.strictObject({ name: z.string().min(1) })) });
    expect(problems(schema, { items: [{ name: "ok" }, { name: "" }, {}] })).toEqual(["doc.items[1].name: must not be empty", "doc.items[2].name: missing; add it"]);
  });
});

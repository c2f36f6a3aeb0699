// Which reader a document gets: its name decides when it ends in .json, .yaml or .yml (in any
// case); otherwise its first non-blank character does.
import { describe, expect, it } from "vitest";
import { parseDocument } from "../../src/document/parse-document.js";

const parse = (text: string, name: string) => parseDocument(Buffer.from(text), { root: "bundle", name, maxBytes: 1024 * 1024 });

describe("the document format", () => {
  it("reads a name ending in .JSON as JSON whatever the text starts with", () => {
    expect(parse('"just text"', "BUNDLE.JSON")).toEqual({ ok: true, value: "just text", format: "json" });
    expect(parse("status: pass\n", "BUNDLE.JSON")).toMatchObject({ ok: false, problem: "malformed", diagnostics: [{ message: expect.stringMatching(/^malformed JSON: /) }] });
  });

  it("reads a name ending in .yml as YAML, even when the text starts with a brace", () => {
    expect(parse("{status: pass}\n", "bundle.yml")).toEqual({ ok: true, value: { status: "pass" }, format: "yaml" });
    expect(parse("{status: pass}\n", "BUNDLE.YML")).toEqual({ ok: true, value: { status: "pass" }, format: "yaml" });
  });

  it("takes an unnamed text starting with a bracket for JSON", () => {
    expect(parse('[1, "two"]', "attachment")).toEqual({ ok: true, value: [1, "two"], format: "json" });
  });

  it("looks past leading blank lines and spaces to the first character", () => {
    expect(parse('\n  \t{"a": 1}', "attachment")).toEqual({ ok: true, value: { a: 1 }, format: "json" });
    expect(parse("\n  [1]", "attachment")).toEqual({ ok: true, value: [1], format: "json" });
  });
});

// The two nesting bounds YAML passes before the yaml library composes it: the quick bracket count
// (refuses deep flow collections at the document root, before parsing) and the token depth bound
// (refuses nesting the composer's recursion could not survive). Data between the document depth
// limit and the token bound is composed and refused with its path.
import { describe, expect, it } from "vitest";
import { MAX_DOCUMENT_DEPTH, parseDocument } from "../../src/document/parse-document.js";

const parse = (text: string) => parseDocument(Buffer.from(text), { root: "bundle", name: "bundle.yaml", maxBytes: 1024 * 1024 });
const TOO_DEEP = expect.stringMatching(/^nests deeper than 64 levels; flatten the data/);
const atRoot = { ok: false, problem: "malformed", diagnostics: [{ path: "bundle", message: TOO_DEEP }] };
const COMPOSED_LIMIT = 4 * MAX_DOCUMENT_DEPTH;

/** `levels` block mappings, one inside the other, each under the key `k`. */
const nested = (levels: number) => {
  let text = "";
  for (let level = 0; level < levels - 1; level++) text += `${" ".repeat(level)}k:\n`;
  return `${text}${" ".repeat(levels - 1)}k: v\n`;
};

describe("YAML flow brackets, counted before parsing", () => {
  it("reads flow sequences nested exactly as deep as the limit", () => {
    const text = `${"[".repeat(MAX_DOCUMENT_DEPTH)}x${"]".repeat(MAX_DOCUMENT_DEPTH)}\n`;
    expect(parse(text).ok).toBe(true);
  });

  it("refuses flow mappings one level past the limit at the document root, as it does flow sequences", () => {
    const levels = MAX_DOCUMENT_DEPTH + 1;
    expect(parse(`${"{a: ".repeat(levels)}1${"}".repeat(levels)}\n`)).toEqual(atRoot);
    expect(parse(`${"[".repeat(levels)}1${"]".repeat(levels)}\n`)).toEqual(atRoot);
  });

  it("does not let closing brackets in plain text lower the count of the brackets after them", () => {
    const levels = MAX_DOCUMENT_DEPTH + 1;
    expect(parse(`note: done]]]]\ndata: ${"[".repeat(levels)}1${"]".repeat(levels)}\n`)).toEqual(atRoot);
  });

  it("skips an escaped double quote inside a double-quoted value, and counts nothing up to the real end", () => {
    const brackets = "[".repeat(MAX_DOCUMENT_DEPTH + 10);
    expect(parse(`note: "\\" ${brackets}"\n`)).toEqual({ ok: true, format: "yaml", value: { note: `" ${brackets}` } });
  });

  it("skips a comment on the very first line", () => {
    const brackets = "[".repeat(MAX_DOCUMENT_DEPTH + 10);
    expect(parse(`#${brackets}\nstatus: pass\n`)).toEqual({ ok: true, format: "yaml", value: { status: "pass" } });
  });
});

describe("YAML block nesting between the document limit and the composer's bound", () => {
  it("is composed and refused with its path up to the bound", () => {
    expect(parse(nested(COMPOSED_LIMIT))).toEqual({ ok: false, problem: "malformed", diagnostics: [{ path: `bundle${".k".repeat(MAX_DOCUMENT_DEPTH)}`, message: TOO_DEEP }] });
    expect(parse(nested(MAX_DOCUMENT_DEPTH * 2 + 10))).toMatchObject({ ok: false, diagnostics: [{ path: `bundle${".k".repeat(MAX_DOCUMENT_DEPTH)}` }] });
  });

  it("is refused at the document root, uncomposed, one level past the bound", () => {
    expect(parse(nested(COMPOSED_LIMIT + 1))).toEqual(atRoot);
  });
});

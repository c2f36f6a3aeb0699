// JSON.parse reads `1e400` as Infinity. It must be refused wherever it sits, including in texts
// whose quick key count goes another way: escaped quotes, nesting right at the depth limit, and a
// bare number as the whole document.
import { describe, expect, it } from "vitest";
import { MAX_DOCUMENT_DEPTH, parseDocument } from "../../src/document/parse-document.js";

const parse = (text: string) => parseDocument(Buffer.from(text), { root: "bundle", name: "bundle.json", maxBytes: 1024 * 1024 });
const INFINITY = "the number `Infinity` has no JSON form; quote it if it is text, or remove it";

describe("a JSON number too large for a double", () => {
  it("is refused in a document that also holds escaped quotes", () => {
    expect(parse('{"note": "say \\"pass\\"", "score": 1e400}')).toEqual({ ok: false, problem: "malformed", diagnostics: [{ path: "bundle.score", message: INFINITY }] });
  });

  it("is refused inside data nested exactly as deep as the limit allows", () => {
    const text = `${"[".repeat(MAX_DOCUMENT_DEPTH)}1e400${"]".repeat(MAX_DOCUMENT_DEPTH)}`;
    expect(parse(text)).toEqual({ ok: false, problem: "malformed", diagnostics: [{ path: `bundle${"[0]".repeat(MAX_DOCUMENT_DEPTH)}`, message: INFINITY }] });
    // The same depth with a finite number is fine.
    expect(parse(text.replace("1e400", "1")).ok).toBe(true);
  });

  it("is refused when it is the whole document", () => {
    expect(parse("1e400")).toEqual({ ok: false, problem: "malformed", diagnostics: [{ path: "bundle", message: INFINITY }] });
    expect(parse("-1e400")).toMatchObject({ ok: false, diagnostics: [{ path: "bundle", message: expect.stringMatching(/^the number `-Infinity`/) }] });
  });
});

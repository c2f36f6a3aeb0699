// What a refused document's message says: where JSON broke by line and column, how large a
// document is, and what a non-object root is (by type and size only).
import { describe, expect, it } from "vitest";
import { describeNonObjectRoot, formatBytes, parseDocument } from "../../src/document/parse-document.js";

const parse = (text: string) => parseDocument(Buffer.from(text), { root: "bundle", name: "bundle.json", maxBytes: 1024 * 1024 });

describe("a malformed JSON document's message", () => {
  it("names the line and the column, counting both from 1", () => {
    expect(parse('{\n  "a": 1,\n}')).toEqual({
      ok: false,
      problem: "malformed",
      diagnostics: [{ path: "bundle", message: "malformed JSON: expected double-quoted property name at line 3, column 1; fix the syntax (a JSON linter shows the spot)" }],
    });
    expect(parse('{"a": 1 "b": 2}')).toMatchObject({ ok: false, diagnostics: [{ message: expect.stringContaining("at line 1, column 9;") }] });
  });
});

describe("sizes in messages", () => {
  it("keeps one decimal for a fraction of a KiB or MiB", () => {
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(1024)).toBe("1 KiB");
    expect(formatBytes(1023)).toBe("1023 bytes");
    expect(formatBytes(1.5 * 1024 * 1024)).toBe("1.5 MiB");
  });

  it("says the size of a document over the limit with that decimal", () => {
    const result = parseDocument(Buffer.alloc(1536, 0x20), { root: "bundle", name: "b.json", maxBytes: 1024 });
    expect(result).toMatchObject({ ok: false, problem: "too_large", diagnostics: [{ message: expect.stringMatching(/^the document is 1\.5 KiB, over the 1 KiB limit/) }] });
  });
});

describe("a document root that is not an object", () => {
  it("is described by its type and size, counting characters rather than UTF-16 units", () => {
    expect(describeNonObjectRoot("😀😀")).toBe("a text of 2 characters");
    expect(describeNonObjectRoot(null)).toBe("nothing (null)");
    expect(describeNonObjectRoot([1, 2])).toBe("a list of 2 item(s)");
    expect(describeNonObjectRoot(7)).toBe("a number");
  });
});

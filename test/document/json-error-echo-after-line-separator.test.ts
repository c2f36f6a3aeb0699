// A malformed JSON document's message must never carry the document's own text outside a code
// span, nor bidirectional controls or line separators (it reaches terminals, logs and Forgejo).
// V8 echoes the text around the bad token; that token may be U+2028 or U+2029, and the echo must
// still be recognised and put in a code span.
import { describe, expect, it } from "vitest";
import { parseDocument } from "../../src/document/parse-document.js";

const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

function message(text: string): string {
  const result = parseDocument(Buffer.from(text), { root: "bundle", name: "bundle.json", maxBytes: 1024 * 1024 });
  if (result.ok) throw new Error(`expected ${JSON.stringify(text)} to be refused`);
  return result.diagnostics.map((d) => d.message).join("\n");
}

describe("a malformed JSON document whose bad token is a line separator", () => {
  it("lets no bidirectional control or line separator from the document into the message", () => {
    const said = message("\u2028\u202egnp.exe");
    expect(said).toMatch(/^malformed JSON: /);
    expect(said).not.toMatch(BIDI);
    expect(said).not.toMatch(/[\u2028\u2029]/);
  });

  it("echoes the document's text only inside a code span", () => {
    const said = message('{"a": \u2029![x](https://evil.example/p.png)}');
    const outsideCode = said.replace(/`[^`]*`/g, "");
    expect(outsideCode).not.toContain("](");
    expect(outsideCode).not.toMatch(/[\u2028\u2029]/);
  });
});

describe("a malformed JSON document V8 echoes whole", () => {
  it("shows the echo in a code span, with its unsafe characters blanked", () => {
    expect(message("undefined")).toBe('malformed JSON: the parser said `"undefined" is not valid JSON`; fix the syntax (a JSON linter shows the spot)');
  });

  it("keeps V8's own words when they echo nothing", () => {
    expect(message('{"a":')).toBe("malformed JSON: unexpected end of JSON input; fix the syntax (a JSON linter shows the spot)");
  });
});

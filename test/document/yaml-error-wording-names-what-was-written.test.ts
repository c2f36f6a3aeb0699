// Messages for malformed YAML name what was written (through a code span) and say it in correct
// English: the escape, the verbatim tag, the directive's number of parts.
import { describe, expect, it } from "vitest";
import { parseDocument } from "../../src/document/parse-document.js";

function message(text: string): string {
  const result = parseDocument(Buffer.from(text), { root: "bundle", name: "bundle.yaml", maxBytes: 1024 * 1024 });
  if (result.ok) throw new Error(`expected ${JSON.stringify(text)} to be refused`);
  return result.diagnostics.map((d) => d.message).join("\n");
}

describe("a malformed YAML bundle's parse error", () => {
  it("names an escape whose character is a line separator, written out as a space", () => {
    expect(message('a: "\\\u2028"\n')).toBe("malformed YAML: the escape `\\ ` (line 1, column 5) in a double-quoted string is not valid YAML; write a backslash as `\\\\`, or put the value in single quotes");
  });

  it("names a verbatim tag the library does not resolve", () => {
    expect(message("a: !<!> x\n")).toBe("malformed YAML: the tag `!<!>` (line 1, column 4) is not allowed; evidence is plain JSON data, so remove the tag");
    expect(message("a: !<!!> x\n")).toMatch(/^malformed YAML: the tag `!<!!>` /);
  });

  it("says how many parts a directive needs, singular for one", () => {
    expect(message("%YAML 1.2 extra\n---\na: 1\n")).toBe("malformed YAML: the `%YAML` directive (line 1, column 1) should have exactly one part; a bundle needs no directives, so remove the line");
    expect(message("%TAG !e!\n---\na: 1\n")).toMatch(/^malformed YAML: the `%TAG` directive \(line 1, column 1\) should have exactly two parts;/);
  });
});

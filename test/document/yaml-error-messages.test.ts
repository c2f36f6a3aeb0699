import { describe, expect, it } from "vitest";
import { parseDocument } from "../../src/document/parse-document.js";
import { DEFAULT_LIMITS } from "../../src/evidence/artifact-bytes.js";
import { assembleInput, openBundle } from "../../src/evidence/open-bundle.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { renderMarkdown } from "../../src/verdict/render/markdown.js";
import { NOW } from "../helpers/bundles.js";

const policy = await readPolicy();

/** The one message for a malformed YAML text. */
function message(text: string): string {
  const result = parseDocument(Buffer.from(text), { root: "bundle", name: "bundle.yaml", maxBytes: 1024 * 1024 });
  if (result.ok) throw new Error(`expected ${JSON.stringify(text)} to be refused`);
  return result.diagnostics.map((d) => d.message).join("\n");
}

/** The proposed comment for a bundle file's raw text, through the real open → evaluate → render path. */
function commentFor(text: string): string {
  const input = assembleInput(openBundle("bundle.yaml", Buffer.from(text), DEFAULT_LIMITS), new Map(), DEFAULT_LIMITS);
  return renderMarkdown(evaluate(input, policy, NOW));
}

/** What CommonMark treats as markup: backslash escapes and code spans removed, the rest is live. */
function outsideCode(markdown: string): string {
  return markdown.replace(/\\./g, "").replace(/(`+)[^`]*?\1/g, "");
}

const PIXEL = "https://evil.example/p.png";
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe("a malformed YAML bundle's parse error", () => {
  // The yaml library's messages repeat the source they stopped at ("Unknown directive %…",
  // "Unsupported YAML version …", "Block scalar header includes extra characters: …", "Invalid
  // escape sequence …"). They were passed through as the first line of the message, so bundle text
  // reached the proposed comment outside any code span: an image loaded from the producer's server
  // (a tracking pixel) in every Forgejo reader's browser, links and issue references, a U+202E.
  it.each([
    ["an unknown directive", `%![x](${PIXEL})\n---\na: 1\n`, "malformed YAML: the directive `%![x](https://evil.example/p.png)` (line 1, column 1) is unknown; a bundle needs no directives, so remove the line"],
    ["a YAML version", `%YAML ![x](${PIXEL})\n---\na: 1\n`, "malformed YAML: the YAML version `![x](https://evil.example/p.png)` (line 1, column 7) is not supported; write `%YAML 1.2`, or remove the line"],
    [
      "a block scalar header",
      `a: |2![x](${PIXEL})\n  x\n`,
      "malformed YAML: the block scalar header `|2![x](https://evil.example/p.png)` (line 1, column 6) holds extra characters; write `|` or `>`, then at most an indentation digit and `-` or `+`",
    ],
    ["an escape", 'a: "![x](\\q)"\n', "malformed YAML: the escape `\\q` (line 1, column 10) in a double-quoted string is not valid YAML; write a backslash as `\\\\`, or put the value in single quotes"],
    ["a tag", "a: !<![x](#12)> x\n", "malformed YAML: the tag `![x](#12)` (line 1, column 4) is not allowed; evidence is plain JSON data, so remove the tag"],
    ["an alias", "a: *nope#12\n", "malformed YAML: the alias `*nope#12` names no anchor set before it; remove the aliases (`*name`) and write the values out"],
    ["a stray token", "{a: 1}}\n", "malformed YAML: unexpected flow-map-end token in YAML stream `}` (line 1, column 7); fix the syntax (a YAML linter shows the spot)"],
  ])("says what is wrong with %s in our words, the bundle's text only in a code span", (_what, text, expected) => {
    expect(message(text)).toBe(expected);
  });

  it("keeps the library's own words for errors that quote no source, with the line and column, then what to do", () => {
    expect(message("a: b: c\n")).toBe("malformed YAML: nested mappings are not allowed in compact mappings (line 1, column 4); fix the syntax (a YAML linter shows the spot)");
    expect(message("a: 'x\n")).toBe("malformed YAML: missing closing 'quote (line 2, column 1); fix the syntax (a YAML linter shows the spot)");
    expect(message("a: `x\n")).toBe("malformed YAML: a plain value (line 1, column 4) cannot start with a backtick; put the value in quotes");
    expect(message("a: 1\n---\nb: 2\n")).toBe("malformed YAML: the file holds several YAML documents (`---`); a bundle is one document");
  });

  it.each([
    ["an unknown directive", `%![x](${PIXEL})\n---\na: 1\n`],
    ["a YAML version", `%YAML ![x](${PIXEL})\n---\na: 1\n`],
    ["a block scalar header", `a: |2![x](${PIXEL})\n  x\n`],
  ])("keeps an image in %s inert in the proposed comment", (_what, text) => {
    const body = commentFor(text);
    expect(body).toContain("bundle_malformed");
    expect(outsideCode(body)).not.toContain("](");
    expect(outsideCode(body)).not.toContain(PIXEL);
  });

  it("makes no issue reference: `%YAML (#12)` would link, and cross-reference, issue 12", () => {
    const body = commentFor("%YAML (#12)\n---\na: 1\n");
    expect(body).toContain("bundle_malformed");
    // Forgejo's reference pattern: `#12` after whitespace, `(`, `[`, quote; the stripper that finds
    // cross-references reads text outside code spans.
    expect(outsideCode(body)).not.toMatch(/(?:^|[\s([])#\d+/m);
  });

  it("lets no bidirectional control from the directive name through, in the message or the comment", () => {
    expect(message("%FOO\u202edm.service\n---\na: 1\n")).toBe("malformed YAML: the directive `%FOO dm.service` (line 1, column 1) is unknown; a bundle needs no directives, so remove the line");
    const body = commentFor("%FOO\u202edm.service\n---\na: 1\n");
    expect(body).toContain("bundle_malformed");
    expect(body).not.toMatch(BIDI);
  });
});

import { describe, expect, it } from "vitest";
import { MAX_DOCUMENT_DEPTH, parseDocument } from "../../src/document/parse-document.js";

const parse = (text: string) => parseDocument(Buffer.from(text), { root: "bundle", name: "b.bundle.yaml", maxBytes: 8 * 1024 * 1024 });
const TOO_DEEP = /^nests deeper than 64 levels; flatten the data/;

const indented = (levels: number, line: (level: number) => string) => Array.from({ length: levels }, (_, level) => line(level)).join("");

/**
 * The yaml library composes a document recursively: 800 to 900 levels exhaust the stack, and a
 * later parse in the same process can then abort it (V8 `RegExpCompiler Allocation failed`,
 * SIGABRT), which nothing catches. Every one of these once reached it: block nesting needs no
 * bracket, and an apostrophe in plain text hid the brackets from the old flow pre-scan.
 */
describe("YAML nested deeper than the yaml library can compose", () => {
  it("is refused as too deep before the library recurses into it, every time it is parsed", () => {
    const shapes: Array<[string, string]> = [
      ["compact sequences on one line", `${"- ".repeat(1000)}a\n`],
      ["sequences one column apart", `${indented(1000, (level) => `${" ".repeat(level)}-\n`)}${" ".repeat(1000)}a\n`],
      ["sequences in mappings, two columns a pair", indented(600, (level) => `${" ".repeat(2 * level)}- k:\n`)],
      ["explicit keys", `${"? ".repeat(1000)}a\n`],
      ["explicit keys and values", `${"? : ".repeat(500)}a\n`],
      ["flow brackets after an apostrophe in plain text", `a: don't\nb: ${"[".repeat(1000)}${"]".repeat(1000)}\n`],
      ["flow brackets inside a block sequence", `${"- [".repeat(500)}a${"]".repeat(500)}\n`],
    ];
    for (const [shape, text] of shapes) {
      // Thrice: the abort came on a later parse in the same process, never on the first.
      for (let round = 0; round < 3; round++) {
        const parsed = parse(text);
        expect(parsed.ok ? "parsed" : [parsed.problem, parsed.diagnostics], shape).toEqual(["malformed", [{ path: "bundle", message: expect.stringMatching(TOO_DEEP) }]]);
      }
    }
  });

  it("still names the path of data nested just past the limit, and reads data at the limit", () => {
    const nested = (levels: number) => `${indented(levels - 1, (level) => `${" ".repeat(level)}k:\n`)}${" ".repeat(levels - 1)}k: v\n`;
    expect(parse(nested(MAX_DOCUMENT_DEPTH)).ok).toBe(true);
    const past = parse(nested(MAX_DOCUMENT_DEPTH + 1));
    expect(past.ok ? null : past.diagnostics).toEqual([{ path: `bundle${".k".repeat(MAX_DOCUMENT_DEPTH)}`, message: expect.stringMatching(TOO_DEEP) }]);
  });

  it("does not count a block scalar's indented text as nesting", () => {
    const text = `log: |\n  start\n${" ".repeat(600)}deeply indented output\n  ${"- ".repeat(600)}end\nnote: >\n${" ".repeat(400)}folded\n`;
    const parsed = parse(text);
    expect(parsed.ok ? (parsed.value as Record<string, string>)["log"]!.split("\n")[1] : parsed.diagnostics).toBe(`${" ".repeat(598)}deeply indented output`);
  });
});

import { describe, expect, it } from "vitest";
import { escapeMarkdown } from "../../src/markdown/inline.js";

// HTML5 entity names are case-sensitive and some are capitalised (`&LT;`, `&GT;`, `&AMP;`, `&Hat;`),
// which CommonMark renders as `<`, `>`, `&`, `^`: the text would not render as itself.
describe("escapeMarkdown and entities in upper case", () => {
  it("escapes the & of a capitalised named entity", () => {
    expect(escapeMarkdown("&LT;img&GT; &AMP; &Hat;")).toBe("\\&LT;img\\&GT; \\&AMP; \\&Hat;");
  });

  it("leaves a numeric entity written with X inert (its # is escaped)", () => {
    expect(escapeMarkdown("&#X40;admin")).toBe("&\\#X40;admin");
  });
});

// Escaped text renders as itself: an ordered-list marker after leading blanks is escaped as one at
// the start is, and an underscore between a digit and a letter or digit (which cannot start
// emphasis) is left alone.
import { HtmlRenderer, Parser } from "commonmark";
import { describe, expect, it } from "vitest";
import { escapeMarkdown } from "../../src/markdown/inline.js";

const rendered = (markdown: string) => new HtmlRenderer().render(new Parser().parse(markdown)).trim();

describe("escapeMarkdown", () => {
  it.each([
    ["  1. item", "  1\\. item"],
    ["   12) item", "   12\\) item"],
    [" 3. x", " 3\\. x"],
  ])("escapes an ordered-list marker after leading blanks: %j", (text, expected) => {
    expect(escapeMarkdown(text)).toBe(expected);
    expect(rendered(escapeMarkdown(text))).toBe(`<p>${text.trim()}</p>`);
  });

  it.each([["version 1_2_3"], ["build_7x and 2_b"], ["x1_y"]])("leaves an underscore after a digit, inside a word, alone: %j", (text) => {
    expect(escapeMarkdown(text)).toBe(text);
    expect(rendered(text)).toBe(`<p>${text}</p>`);
  });
});

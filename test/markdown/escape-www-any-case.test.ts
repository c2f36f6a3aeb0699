// A bare `www.` link: Forgejo (goldmark's linkify) and cmark-gfm only link a lowercase `www.`, but
// other GFM renderers (micromark) take `WWW.` and `Www.` too, and the escaped dot costs nothing in
// what is shown. So the dot is escaped whatever the case, where a bare link could start.
import { HtmlRenderer, Parser } from "commonmark";
import { describe, expect, it } from "vitest";
import { escapeMarkdown, messageMarkdown } from "../../src/markdown/inline.js";

const rendered = (markdown: string) => new HtmlRenderer().render(new Parser().parse(markdown)).trim();

describe("a bare www. link in escaped text", () => {
  it.each([
    ["see WWW.evil.example now", "see WWW\\.evil.example now"],
    ["Www.evil.example", "Www\\.evil.example"],
    ["(wWw.evil.example)", "(wWw\\.evil.example)"],
    ["see www.evil.example", "see www\\.evil.example"],
  ])("escapes the dot of %j, whatever the case", (text, expected) => {
    expect(escapeMarkdown(text)).toBe(expected);
    expect(messageMarkdown(`\`x\` ${text}`)).toBe(`\`x\` ${expected}`);
  });

  it("shows the text as written once rendered", () => {
    expect(rendered(escapeMarkdown("see WWW.evil.example now"))).toBe("<p>see WWW.evil.example now</p>");
  });

  it("escapes the dot after an underscore: GFM and goldmark's linkify start a link after `_`", () => {
    expect(escapeMarkdown("my_www.evil.example")).toBe("my_www\\.evil.example");
    expect(rendered(escapeMarkdown("my_www.evil.example"))).toBe("<p>my_www.evil.example</p>");
  });

  it("leaves www inside a word or a dotted name alone", () => {
    for (const text of ["AWWW.x", "aWww.b", "x.WWW.y", "a-WWW.b"]) expect(escapeMarkdown(text), text).toBe(text);
  });
});

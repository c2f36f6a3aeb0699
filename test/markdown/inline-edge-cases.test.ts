import { describe, expect, it } from "vitest";
import { escapeMarkdown, messageMarkdown } from "../../src/markdown/inline.js";

describe("escapeMarkdown at the start of a line", () => {
  it("escapes an ordered-list number of nine digits, the longest CommonMark reads as a list", () => {
    expect(escapeMarkdown("123456789. done")).toBe("123456789\\. done");
    expect(escapeMarkdown("123456789) done")).toBe("123456789\\) done");
  });
});

describe("messageMarkdown and backtick runs that close no code span", () => {
  it("escapes a backtick whose only closer is a longer run, so what follows it is no markup", () => {
    // CommonMark: a one-backtick opener is closed only by a run of exactly one backtick.
    expect(messageMarkdown("`*a*``")).toBe("\\`\\*a\\*\\`\\`");
    expect(messageMarkdown("see `*a*`` and")).toBe("see \\`\\*a\\*\\`\\` and");
  });

  it("keeps a code span that runs over a line break as one span, the break a space", () => {
    expect(messageMarkdown("value `a\nb` here")).toBe("value `a b` here");
  });
});

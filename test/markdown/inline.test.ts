import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { codeSpan } from "../../src/markdown/inline.js";

/**
 * The text a reader sees for one code span, decoded as CommonMark does: the closing fence is the
 * first backtick run as long as the opening one, and one space is stripped from each end when the
 * text both begins and ends with one and is not all spaces. Null when `span` is not one code span.
 */
function shown(span: string): string | null {
  const fence = /^`+/.exec(span)?.[0] ?? "";
  const runs = [...span.slice(fence.length).matchAll(/`+/g)];
  const closing = runs.find((run) => run[0].length === fence.length);
  if (fence === "" || closing === undefined || fence.length + closing.index + closing[0].length !== span.length) return null;
  const text = span.slice(fence.length, fence.length + closing.index);
  return text.length >= 2 && text.startsWith(" ") && text.endsWith(" ") && /[^ ]/.test(text) ? text.slice(1, -1) : text;
}

describe("codeSpan", () => {
  it.each([
    [" README.md ", "`  README.md  `"],
    [" a", "` a`"],
    ["a ", "`a `"],
    // Text made only of spaces is shown as it is, so it is not padded.
    ["   ", "`   `"],
    ["` tick `", "`` ` tick ` ``"],
  ])("%j → %j", (text, expected) => {
    expect(codeSpan(text)).toBe(expected);
    expect(shown(codeSpan(text))).toBe(text);
  });

  it("shows any text of spaces, letters and backticks as itself, never as another text", () => {
    const text = fc.string({ unit: fc.constantFrom(" ", "a", "`"), minLength: 1, maxLength: 12 });
    fc.assert(fc.property(text, (t) => shown(codeSpan(t)) === t), { numRuns: 2000 });
  });
});

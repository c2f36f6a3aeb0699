import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { codeSpan, escapeMarkdown, messageMarkdown } from "../../src/markdown/inline.js";

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

/** What CommonMark treats as markup: backslash escapes and code spans removed, the rest is live. */
const outsideCode = (markdown: string): string => markdown.replace(/\\./g, "").replace(/(`+)[^`]*?\1/g, "");

describe("escapeMarkdown", () => {
  it.each([
    // Prose stays as it was written: the source of a comment is read too (`queue show`, the review page).
    ["evidence[0] is 1h15m13s old, over the policy's 1h maximum; re-run the gate (line 3, column 4)"],
    ["OpenClaw upgrade 1.0.0 → 1.1.0, rehearsed read-only by the safe-update kit"],
    ["3 file(s) differ between workstation:/srv/src and iskra:/opt/iskra-openclaw; risk low"],
    ["runtime_diagnostics, snake_case and e.g. a+b = c!"],
  ])("leaves plain prose alone: %j", (text) => {
    expect(escapeMarkdown(text)).toBe(text);
  });

  it.each([
    ["*a* _b_ <c> @d", "\\*a\\* \\_b\\_ \\<c\\> @\u200bd"],
    ["![x](https://evil.example/p.png)", "![x\\](https\\://evil.example/p.png)"],
    ["a [link][ref] and [ref]: x", "a [link\\][ref] and [ref\\]: x"],
    ["[x] done", "\\[x] done"],
    ["see www.evil.example and ftp://x", "see www\\.evil.example and ftp\\://x"],
    // `&\#35;` is no entity: it shows as written.
    ["&#35;12 &lt;b&gt; a & b", "&\\#35;12 \\&lt;b\\&gt; a & b"],
    ["(#12) ~~gone~~ a|b `c` \\d", "(\\#12) \\~\\~gone\\~\\~ a\\|b \\`c\\` \\\\d"],
    ["- item", "\\- item"],
    ["+ item", "\\+ item"],
    ["1. item", "1\\. item"],
    ["12) item", "12\\) item"],
    ["### heading", "\\#\\#\\# heading"],
    ["> quote", "\\> quote"],
    ["___", "\\_\\_\\_"],
    ["a\n\n### 🟢 b\u202ec", "a \\#\\#\\# 🟢 b c"],
  ])("escapes markup where it could take effect: %j", (text, expected) => {
    expect(escapeMarkdown(text)).toBe(expected);
  });
});

describe("messageMarkdown", () => {
  it("keeps a message's code spans as they are and escapes the text between them", () => {
    expect(messageMarkdown("repair class `a_b` mutates the runtime; only the operator approves it")).toBe("repair class `a_b` mutates the runtime; only the operator approves it");
    expect(messageMarkdown("the tag ``![x](https://e/p.png)`` and ![y](https://e/q.png) (#12)")).toBe("the tag ``![x](https://e/p.png)`` and ![y\\](https\\://e/q.png) (\\#12)");
    expect(outsideCode(messageMarkdown("`a` ![x](https://e/p.png) `b` [l](u) @admin"))).not.toMatch(/\]\(|https:\/\/|@admin/);
  });

  it("breaks mentions and blanks unsafe characters inside the spans too", () => {
    expect(messageMarkdown("`@admin\u202e` said")).toBe("`@\u200badmin ` said");
  });

  it("treats an unpaired backtick as text", () => {
    expect(messageMarkdown("a ` b ![x](u)")).toBe("a \\` b ![x\\](u)");
  });
});

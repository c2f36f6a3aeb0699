import { describe, expect, it } from "vitest";
import { messageMarkdown } from "../../src/markdown/inline.js";

// Only the code spans CommonMark sees are trusted: a lone backtick inside an unmatched longer run
// opens none, so the text up to the next backtick must be escaped, as CommonMark reads it as markup.
describe("messageMarkdown trusts only the code spans CommonMark sees", () => {
  it("escapes HTML after an unmatched run of three backticks", () => {
    const out = messageMarkdown("``` <img src=x onerror=alert(1)> `");
    expect(out).not.toMatch(/(^|[^\\])<img/);
    expect(out).toBe("\\`\\`\\` \\<img src=x onerror=alert(1)\\> \\`");
  });

  it("escapes a link between a double-backtick run and a single backtick", () => {
    const out = messageMarkdown("bad ``x `[a](https://evil.example)` y");
    // The only span CommonMark sees is `[a](https://evil.example)`: the `` run has no closer of two.
    expect(out).toBe("bad \\`\\`x `[a](https://evil.example)` y");
  });
});

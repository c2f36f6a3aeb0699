import { describe, expect, it } from "vitest";
import { Untrusted } from "../../src/server/review/components/untrusted.js";

// The page shows the body read back from the
// proposal file, so it must write out what it is given, line by line, keeping only the line breaks.
describe("<Untrusted multiline> in the review page's comment <pre>", () => {
  it("keeps line breaks and writes out every other unsafe character, and escapes markup", async () => {
    const html = String(await Untrusted({ text: "line one\u202e\nline\u001b[2J two\u2028<b>x</b>", multiline: true }).toString());
    expect(html).not.toMatch(/[\u001b\u2028\u202e]/);
    expect(html).toBe("line one\\u202e\nline\\x1b[2J two\\u2028&lt;b&gt;x&lt;/b&gt;");
  });
});

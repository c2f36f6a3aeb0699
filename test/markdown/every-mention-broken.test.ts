// Every `@` in producer or user text is broken, not just the first: each would notify its login.
import { describe, expect, it } from "vitest";
import { breakMentions, cellCode, codeSpan, escapeMarkdown, messageMarkdown } from "../../src/markdown/inline.js";

describe("mentions in text we post", () => {
  it("breaks every @ of a text", () => {
    expect(breakMentions("@alice and @bob, cc @carol")).toBe("@\u200balice and @\u200bbob, cc @\u200bcarol");
    expect(escapeMarkdown("@alice @bob")).toBe("@\u200balice @\u200bbob");
    expect(codeSpan("@alice @bob")).toBe("`@\u200balice @\u200bbob`");
    expect(cellCode("@alice|@bob")).toBe("`@\u200balice\\|@\u200bbob`");
    expect(messageMarkdown("`@alice @bob` and @carol @dave")).toBe("`@\u200balice @\u200bbob` and @\u200bcarol @\u200bdave");
  });

  it("leaves no @ followed directly by a login", () => {
    const text = Array.from({ length: 5 }, (_, i) => `@user${i}`).join(" ");
    for (const out of [escapeMarkdown(text), codeSpan(text), messageMarkdown(text)]) expect(out).not.toMatch(/@(?!\u200b)/);
  });
});

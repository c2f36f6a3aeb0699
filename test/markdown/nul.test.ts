import { describe, expect, it } from "vitest";
import { codeSpan, escapeMarkdown } from "../../src/markdown/inline.js";
import { UNSAFE_CHARACTER, writeOutUnsafe } from "../../src/markdown/unsafe-characters.js";
import { quote } from "../../src/diagnostics/diagnostic.js";

// A NUL in a comment is invisible, and a Forgejo on PostgreSQL cannot store one (the post would fail at approval).
describe("NUL is unsafe like every other C0 control", () => {
  it("is refused, blanked or written out", () => {
    expect(UNSAFE_CHARACTER.test("a\u0000b")).toBe(true);
    expect(writeOutUnsafe("a\u0000b")).toBe("a\\x00b");
    expect(quote("a\u0000b")).toBe("`a b`");
    expect(codeSpan("a\u0000b")).toBe("`a b`");
    expect(escapeMarkdown("a\u0000b")).toBe("a b");
  });
});

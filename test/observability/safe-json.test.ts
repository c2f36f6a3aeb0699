import { describe, expect, it } from "vitest";
import { safeJson } from "../../src/observability/safe-json.js";

const UNSAFE = "a\u2028b\u0085c\u009b31md\u202ee\u200bf\u{1f642}";

describe("safeJson", () => {
  it("writes line-forging and terminal-control characters as \\u escapes, the value unchanged, one line", () => {
    const text = safeJson({ summary: UNSAFE, n: 1 });
    expect(text).toBe('{"summary":"a\\u2028b\\u0085c\\u009b31md\\u202ee\\u200bf\u{1f642}","n":1}\n');
    expect(JSON.parse(text)).toEqual({ summary: UNSAFE, n: 1 });
  });

  it("indents when asked, still escaping", () => {
    const text = safeJson({ summary: "x\u2029" }, 2);
    expect(text).toBe('{\n  "summary": "x\\u2029"\n}\n');
    expect(JSON.parse(text)).toEqual({ summary: "x\u2029" });
  });
});

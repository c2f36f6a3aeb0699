import { describe, expect, it } from "vitest";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { codeSpan, escapeMarkdown } from "../../src/markdown/inline.js";
import { UNSAFE_CHARACTER, writeOutUnsafe } from "../../src/markdown/unsafe-characters.js";
import { quote } from "../../src/diagnostics/diagnostic.js";
import { renderMarkdown } from "../../src/verdict/render/markdown.js";
import { renderText } from "../../src/verdict/render/text.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";

const policy = await readPolicy();

// The line and paragraph separators are unsafe in every output, not only where whitespace is folded.
describe("U+2028 and U+2029 are unsafe everywhere text is echoed", () => {
  it("are refused, blanked or written out by every sanitiser", () => {
    expect(UNSAFE_CHARACTER.test("a\u2028b")).toBe(true);
    expect(UNSAFE_CHARACTER.test("a\u2029b")).toBe(true);
    expect(writeOutUnsafe("a\u2028b\u2029c")).toBe("a\\u2028b\\u2029c");
    expect(quote("a\u2028b\u2029c")).toBe("`a b c`");
    expect(codeSpan("a\u2028b")).toBe("`a b`");
    expect(escapeMarkdown("a\u2028\u2029b")).toBe("a b");
  });

  it("never reach the terminal in a reason message, nor the comment in a path", () => {
    const verdict = evaluate(inputOf(bundleOf("runtime_diagnostics", [item("runtime-truth-report"), item("autoheal-dashboard")])), policy, NOW);
    const hostile = { ...verdict, reasons: [{ code: "bundle_malformed" as const, severity: "block" as const, message: "malformed\u2028verdict: eligible_repair_dry_run", path: "bundle[\u2029]" }] };
    const text = renderText(hostile);
    expect(text).not.toMatch(/[\u2028\u2029]/);
    expect(text).toContain("malformed\\u2028verdict");
    expect(renderMarkdown(hostile)).not.toMatch(/[\u2028\u2029]/);
  });
});

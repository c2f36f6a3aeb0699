import { describe, expect, it } from "vitest";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { renderMarkdown } from "../../src/verdict/render/markdown.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";

const policy = await readPolicy();

// A reason's path is written with codeSpan, not between single backticks: formatPath writes no
// backtick, but the comment must not rely on that (a verdict read back from a proposal file is only loosely checked).
describe("a reason's path in the comment", () => {
  it("stays inside its code span and mentions nobody, whatever it holds", () => {
    const verdict = evaluate(inputOf(bundleOf("runtime_diagnostics", [item("runtime-truth-report"), item("autoheal-dashboard")])), policy, NOW);
    const hostile = { ...verdict, reasons: [{ code: "bundle_malformed" as const, severity: "block" as const, message: "malformed", path: 'bundle["a` <img src=x> [l](https://evil.example) `b"].@admin' }] };
    const line = renderMarkdown(hostile).split("\n").find((l) => l.includes("bundle_malformed"))!;
    expect(line).toBe('- 🔴 `bundle_malformed` — malformed (``bundle["a` <img src=x> [l](https://evil.example) `b"].@\u200badmin``)');
  });
});

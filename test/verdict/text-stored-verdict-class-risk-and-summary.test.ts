import { describe, expect, it } from "vitest";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { renderMarkdown } from "../../src/verdict/render/markdown.js";
import { renderText } from "../../src/verdict/render/text.js";
import type { Verdict } from "../../src/verdict/verdict-types.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";

const policy = await readPolicy();

// `queue show` prints renderText(proposal.verdict) for a verdict read back from a proposal file,
// which is only loosely checked: every field it echoes must be written out, not passed through.
const verdict = evaluate(inputOf(bundleOf("runtime_diagnostics", [item("runtime-truth-report"), item("autoheal-dashboard")])), policy, NOW);

describe("renderText on a stored verdict", () => {
  it("writes out escape sequences in the repair class and the class risk", () => {
    const stored = { ...verdict, repair_class: "runtime\u001b[2K\u001b[1Averdict", repair: { ...verdict.repair!, risk: "low\u001b[8m\u202e" } } as unknown as Verdict;
    const text = renderText(stored);
    expect(text).not.toMatch(/[\u001b\u202e]/);
    expect(text).toContain("\nrepair class: runtime\\x1b[2K\\x1b[1Averdict — test candidate\n");
    expect(text).toContain("\nclass risk: low\\x1b[8m\\u202e\n");
  });

  it("writes a summary on one line with no space left at either end", () => {
    const text = renderText({ ...verdict, candidate_summary: "  gateway\n answered 503\t " });
    expect(text).toContain("\nrepair class: runtime_diagnostics — gateway answered 503\n");
  });

  it("names the class alone when the verdict carries no summary, in the comment and on a terminal", () => {
    const stored = { ...verdict, candidate_summary: null };
    expect(renderText(stored)).toContain("\nrepair class: runtime_diagnostics\n");
    expect(renderMarkdown(stored)).toContain("\n**Repair class:** `runtime_diagnostics`\n");
  });
});

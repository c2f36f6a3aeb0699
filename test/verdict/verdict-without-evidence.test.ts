import { describe, expect, it } from "vitest";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { renderMarkdown } from "../../src/verdict/render/markdown.js";
import { renderText } from "../../src/verdict/render/text.js";
import { bundleOf, inputOf, NOW } from "../helpers/bundles.js";

const policy = await readPolicy();

describe("a verdict with no evidence at all", () => {
  const verdict = evaluate(inputOf(bundleOf("runtime_diagnostics", [])), policy, NOW);

  it("is blocked and valid until no time in particular", () => {
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.evidence).toEqual([]);
    expect(verdict.valid_until).toBeNull();
  });

  it("writes no evidence table in the comment, and says it is valid until —", () => {
    const body = renderMarkdown(verdict);
    expect(body).not.toContain("#### Evidence");
    expect(body).not.toContain("| # | kind |");
    expect(body).toContain(`\n- evaluated at ${verdict.evaluated_at}; valid until —\n`);
  });

  it("writes no evidence heading on a terminal, and says there was no evidence", () => {
    const text = renderText(verdict);
    expect(text).not.toContain("evidence:");
    expect(text).toContain(`\nevaluated at ${verdict.evaluated_at}; valid until (no evidence)\n`);
  });
});

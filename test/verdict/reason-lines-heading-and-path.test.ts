import { describe, expect, it } from "vitest";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { MAX_COMMENT_BYTES, renderMarkdown } from "../../src/verdict/render/markdown.js";
import { renderText } from "../../src/verdict/render/text.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";

const policy = await readPolicy();

const verdict = evaluate(inputOf(bundleOf("runtime_diagnostics", [item("runtime-truth-report"), item("autoheal-dashboard")])), policy, NOW);
const unplaced = verdict.reasons.find((reason) => reason.path === undefined)!;

describe("the reasons of a verdict", () => {
  it("come under their own heading, after the proposal-only notice, in the full comment and the short one", () => {
    expect(unplaced.code).toBe("dry_run_only");
    const notice = "> Proposal only: Patchwarden executed nothing. Restarts, deploy/apply/sync, auth or network changes and destructive actions stay with the operator.\n\n";
    expect(renderMarkdown(verdict)).toContain(`${notice}#### Reasons\n\n- ℹ️ \`dry_run_only\` — `);
    const short = renderMarkdown({ ...verdict, reasons: [unplaced, { ...unplaced, message: "x".repeat(MAX_COMMENT_BYTES) }] });
    expect(short).toContain("full comment would take");
    expect(short).toMatch(/\n\n#### Reasons\n\n- ℹ️ `dry_run_only` — /);
  });

  it("name no place in the input, on a terminal, when a reason has none", () => {
    const text = renderText(verdict);
    expect(text).toContain("\nreasons:\n  [info] dry_run_only\n         eligible for a dry run of `runtime_diagnostics` only;");
    expect(text).not.toContain(" at \n");
  });

  it("name the place in the input, on a terminal, when a reason has one", () => {
    const text = renderText({ ...verdict, reasons: [{ ...unplaced, path: "bundle.candidate.summary" }] });
    expect(text).toContain("\n  [info] dry_run_only at bundle.candidate.summary\n");
  });
});

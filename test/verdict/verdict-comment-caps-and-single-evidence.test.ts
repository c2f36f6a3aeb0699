import { describe, expect, it } from "vitest";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { MAX_COMMENT_EVIDENCE_ROWS, MAX_COMMENT_POSTCHECKS, MAX_COMMENT_REASONS, renderMarkdown } from "../../src/verdict/render/markdown.js";
import { renderText } from "../../src/verdict/render/text.js";
import type { Verdict } from "../../src/verdict/verdict-types.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";

const policy = await readPolicy();

/** A needs_human verdict with one `evidence_warn` reason per warning item, and `items + 1` evidence rows. */
function warnings(items: number): Verdict {
  const warn = Array.from({ length: items }, (_, i) => item("runtime-truth-report", { status: "warn", subject: `s${i}`, data: {} }));
  return evaluate(inputOf(bundleOf("runtime_diagnostics", [...warn, item("autoheal-dashboard")])), policy, NOW);
}

const reasonLines = (body: string) => body.split("\n").filter((line) => /^- (🔴|🟡|ℹ️) `/.test(line));
const rows = (body: string) => body.split("\n").filter((line) => /^\| \d+ \|/.test(line));

describe("a verdict comment at its caps", () => {
  it("shows exactly 50 reasons and 50 evidence rows in full, with no `…and 0 more` line", () => {
    const base = warnings(MAX_COMMENT_REASONS);
    const verdict = { ...base, evidence: base.evidence.slice(0, MAX_COMMENT_EVIDENCE_ROWS) };
    expect(verdict.reasons).toHaveLength(MAX_COMMENT_REASONS);
    expect(verdict.evidence).toHaveLength(MAX_COMMENT_EVIDENCE_ROWS);
    const body = renderMarkdown(verdict);
    expect(reasonLines(body)).toHaveLength(MAX_COMMENT_REASONS);
    expect(rows(body)).toHaveLength(MAX_COMMENT_EVIDENCE_ROWS);
    expect(body).not.toContain("more;");
  });

  it("lists exactly 20 postchecks with no `…and 0 more` line", () => {
    const verdict = warnings(1);
    const postchecks = Array.from({ length: MAX_COMMENT_POSTCHECKS }, (_, i) => `check ${i}`);
    const body = renderMarkdown({ ...verdict, repair: { ...verdict.repair!, postchecks } });
    expect(body.split("\n").filter((line) => /^- `check \d+`$/.test(line))).toHaveLength(MAX_COMMENT_POSTCHECKS);
    expect(body).not.toContain("more;");
  });

  it("says a class has no postchecks, in the comment and on a terminal", () => {
    const verdict = warnings(1);
    const none = { ...verdict, repair: { ...verdict.repair!, postchecks: [] } };
    expect(renderMarkdown(none)).toContain("\n**Postchecks after an approved repair:** none\n");
    expect(renderText(none)).toContain("\npostchecks: none\n");
  });
});

describe("a verdict with a single evidence item", () => {
  it("still shows its evidence table in the comment and its evidence line on a terminal", () => {
    const base = warnings(1);
    const verdict = { ...base, evidence: base.evidence.slice(0, 1) };
    expect(verdict.evidence).toHaveLength(1);
    const body = renderMarkdown(verdict);
    expect(body).toContain("#### Evidence");
    expect(rows(body)).toHaveLength(1);
    expect(rows(body)[0]).toMatch(/^\| 0 \| `runtime-truth-report` \| `s0` \| `warn` \|/);
    const text = renderText(verdict);
    expect(text).toContain("\nevidence:\n");
    expect(text).toMatch(/\n {2}\[0\] runtime-truth-report \(s0\): warn, /);
  });
});

describe("the terminal form of a verdict", () => {
  it("ends by saying Patchwarden executed nothing", () => {
    expect(renderText(warnings(1)).trimEnd().split("\n").at(-1)).toBe("mode: proposal only — Patchwarden executed nothing.");
  });
});

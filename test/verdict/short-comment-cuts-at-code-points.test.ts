import { describe, expect, it } from "vitest";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { MAX_COMMENT_BYTES, renderMarkdown } from "../../src/verdict/render/markdown.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";

const policy = await readPolicy();

describe("the short comment's summary", () => {
  it("is cut after 300 characters, never inside one, so no half of an emoji is left", () => {
    const verdict = evaluate(inputOf(bundleOf("runtime_diagnostics", [item("runtime-truth-report", { status: "warn", subject: "s", data: {} }), item("autoheal-dashboard")], { summary: "😀".repeat(400) })), policy, NOW);
    // One reason long enough to push the full comment over its budget.
    const long = { ...verdict, reasons: [{ ...verdict.reasons[0]!, message: "x".repeat(MAX_COMMENT_BYTES) }, ...verdict.reasons.slice(1)] };
    const body = renderMarkdown(long);
    expect(body).toMatch(/full comment would take \d+ KiB/);
    expect(body).toContain(`**Repair class:** \`runtime_diagnostics\` — ${"😀".repeat(300)}…\n`);
    expect(body).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });
});

describe("the comment's marker", () => {
  it("names the bundle `none` when no bundle digest was read", () => {
    const verdict = evaluate(inputOf(bundleOf("runtime_diagnostics", [item("autoheal-dashboard")])), policy, NOW);
    const body = renderMarkdown({ ...verdict, bundle: { ...verdict.bundle, digest: null } });
    expect(body.split("\n")[0]).toBe(`<!-- patchwarden:verdict bundle=none policy=${verdict.policy.digest} engine=${verdict.engine.version} -->`);
    expect(body).toContain("- bundle: `unread`");
  });
});

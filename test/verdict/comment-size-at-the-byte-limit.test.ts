import { describe, expect, it } from "vitest";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { MAX_COMMENT_BYTES, renderMarkdown } from "../../src/verdict/render/markdown.js";
import type { Verdict } from "../../src/verdict/verdict-types.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";

const policy = await readPolicy();

const base = evaluate(inputOf(bundleOf("runtime_diagnostics", [item("runtime-truth-report", { status: "warn", subject: "s0", data: {} }), item("autoheal-dashboard")])), policy, NOW);

/** The verdict with one plain-ASCII reason of `length` characters (one byte each in the comment). */
function withMessage(length: number): Verdict {
  return { ...base, reasons: [{ code: "evidence_warn", severity: "hold", message: "x".repeat(length) }] };
}

/** The message length whose full comment takes exactly `bytes` bytes. */
function lengthFor(bytes: number): number {
  const probe = 1_000;
  return probe + (bytes - Buffer.byteLength(renderMarkdown(withMessage(probe))));
}

const isShort = (body: string) => body.includes("full comment would take");

describe("the comment's byte budget (64 KiB)", () => {
  it("keeps the full comment, evidence table and all, when it takes exactly the budget", () => {
    const body = renderMarkdown(withMessage(lengthFor(MAX_COMMENT_BYTES)));
    expect(MAX_COMMENT_BYTES).toBe(64 * 1024);
    expect(Buffer.byteLength(body)).toBe(MAX_COMMENT_BYTES);
    expect(isShort(body)).toBe(false);
    expect(body).toContain("#### Evidence");
    expect(body).toContain(`- 🟡 \`evidence_warn\` — ${"x".repeat(lengthFor(MAX_COMMENT_BYTES))}\n`);
  });

  it("falls back to the short comment one byte over the budget, and rounds the size it names up", () => {
    const body = renderMarkdown(withMessage(lengthFor(MAX_COMMENT_BYTES) + 1));
    expect(isShort(body)).toBe(true);
    expect(body).not.toContain("#### Evidence");
    // 65,537 bytes is more than 64 KiB: the comment must not claim it would take 64.
    expect(body).toContain("> This verdict's full comment would take 65 KiB, over the 64 KiB a comment may take: it shows the first 1 reason of 1 and no evidence table;");
    expect(Buffer.byteLength(body)).toBeLessThan(MAX_COMMENT_BYTES);
  });

  it("one byte under the budget is still the full comment", () => {
    const body = renderMarkdown(withMessage(lengthFor(MAX_COMMENT_BYTES - 1)));
    expect(Buffer.byteLength(body)).toBe(MAX_COMMENT_BYTES - 1);
    expect(isShort(body)).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { MAX_COMMENT_BYTES, renderMarkdown } from "../../src/verdict/render/markdown.js";
import type { Reason, Verdict } from "../../src/verdict/verdict-types.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";

const policy = await readPolicy();

const base = evaluate(inputOf(bundleOf("runtime_diagnostics", [item("runtime-truth-report", { status: "warn", subject: "s0", data: {} }), item("autoheal-dashboard")])), policy, NOW);

const reason = (message: string): Reason => ({ code: "evidence_warn", severity: "hold", message });
/** A reason long enough on its own to push the full comment over its budget. */
const huge = reason("y".repeat(MAX_COMMENT_BYTES));
const reasonLines = (body: string) => body.split("\n").filter((line) => /^- (🔴|🟡|ℹ️) `/.test(line));
const TOO_LONG = "- 🟡 `evidence_warn` — this reason is too long to show here; `patchwarden queue show <id>` shows it";

/** The message length whose reason line takes exactly `bytes` bytes. */
function messageFor(bytes: number): string {
  const line = reasonLines(renderMarkdown({ ...base, reasons: [reason("x")] }))[0]!;
  return "x".repeat(bytes - (Buffer.byteLength(line) - 1));
}

describe("the short comment's reason lines", () => {
  it("shows a reason whose line takes exactly 1024 bytes as it is", () => {
    const message = messageFor(1024);
    const body = renderMarkdown({ ...base, reasons: [reason(message), huge] });
    expect(body).toContain("full comment would take");
    const lines = reasonLines(body);
    expect(Buffer.byteLength(lines[0]!)).toBe(1024);
    expect(lines[0]).toBe(`- 🟡 \`evidence_warn\` — ${message}`);
    expect(lines[1]).toBe(TOO_LONG);
  });

  it("replaces a reason whose line takes 1025 bytes by a pointer to `queue show`", () => {
    const body = renderMarkdown({ ...base, reasons: [reason(messageFor(1025)), huge] });
    expect(body).toContain("full comment would take");
    expect(reasonLines(body)).toEqual([TOO_LONG, TOO_LONG]);
  });
});

describe("how many reasons the short comment shows", () => {
  it("shows all of exactly 10 reasons, with no `…and 0 more` line", () => {
    const reasons = [...Array.from({ length: 9 }, (_, i) => reason(`r${i}`)), huge];
    const body = renderMarkdown({ ...base, reasons });
    expect(body).toContain("it shows the first 10 reasons of 10 and no evidence table;");
    expect(reasonLines(body)).toHaveLength(10);
    expect(body).not.toContain("more;");
  });

  it("shows the first 10 of 11 reasons and says one more is in `queue show`", () => {
    const reasons = [...Array.from({ length: 10 }, (_, i) => reason(`r${i}`)), huge];
    const body = renderMarkdown({ ...base, reasons }, { proposalId: "p_0123456789abcdef0123" });
    expect(body).toContain("it shows the first 10 reasons of 11 and no evidence table; `patchwarden queue show p_0123456789abcdef0123` shows the whole verdict (2 evidence items).");
    expect(reasonLines(body)).toEqual(Array.from({ length: 10 }, (_, i) => `- 🟡 \`evidence_warn\` — r${i}`));
    expect(body).toContain("\n…and 1 more; `patchwarden queue show p_0123456789abcdef0123` lists them all.\n");
  });

  it("words a single reason and a single evidence item in the singular", () => {
    const verdict: Verdict = { ...base, reasons: [huge], evidence: base.evidence.slice(0, 1) };
    const body = renderMarkdown(verdict);
    expect(body).toContain("it shows the first 1 reason of 1 and no evidence table; `patchwarden queue show <id>` shows the whole verdict (1 evidence item).");
  });
});

describe("text the short comment cuts at 300 characters", () => {
  it("keeps a summary and an executor of exactly 300 characters whole, and cuts one of 301", () => {
    const at = (n: number): Verdict => ({ ...base, candidate_summary: "s".repeat(n), repair: { ...base.repair!, executor: "e".repeat(n) }, reasons: [huge] });
    const whole = renderMarkdown(at(300));
    expect(whole).toContain(`**Repair class:** \`runtime_diagnostics\` — ${"s".repeat(300)}\n`);
    expect(whole).toContain(`**Executor:** \`${"e".repeat(300)}\`\n`);
    const cut = renderMarkdown(at(301));
    expect(cut).toContain(`**Repair class:** \`runtime_diagnostics\` — ${"s".repeat(300)}…\n`);
    expect(cut).toContain(`**Executor:** \`${"e".repeat(300)}…\`\n`);
  });
});

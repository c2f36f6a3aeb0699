import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/evidence/artifact-bytes.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { composeProposal, proposalMarker } from "../../src/queue/compose-proposal.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { MAX_COMMENT_BYTES, MAX_COMMENT_EVIDENCE_ROWS, MAX_COMMENT_POSTCHECKS, MAX_COMMENT_REASONS, renderMarkdown } from "../../src/verdict/render/markdown.js";
import type { Verdict } from "../../src/verdict/verdict-types.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";

const policy = await readPolicy();

/** A needs_human verdict with one `evidence_warn` reason per warning item, and `items + 1` evidence rows. */
function warnings(items: number, subject: (i: number) => string = (i) => `s${i}`): Verdict {
  const warn = Array.from({ length: items }, (_, i) => item("runtime-truth-report", { status: "warn", subject: subject(i), data: {} }));
  return evaluate(inputOf(bundleOf("runtime_diagnostics", [...warn, item("autoheal-dashboard")])), policy, NOW);
}

const reasonLines = (body: string) => body.split("\n").filter((line) => /^- (🔴|🟡|ℹ️) `/.test(line));
const rows = (body: string) => body.split("\n").filter((line) => /^\| \d+ \|/.test(line));

describe("the size of a proposed verdict comment", () => {
  // renderMarkdown wrote one reason line per reason and one table row per evidence item, with no
  // cap (the what-if comment stops at MAX_COMMENT_ROWS = 50, the drift plan at MAX_TABLE_ROWS = 40).
  // A valid bundle may hold 10,000 items with 500-character subjects, and every `@` grows to
  // `@\u200b` (4 bytes), so a ~6 MB bundle became a ~25 MB comment. Approval posts it, and then
  // reads it back: ForgejoWriter.postComment parses the 201 answer (which echoes the body) and
  // findComment reads the issue's comment list, both capped at DEFAULT_LIMITS.maxBundleBytes
  // (8 MiB). The post landed on Forgejo but the approval failed after it, and every retry's look-up
  // failed too, so the proposal stayed `approved` with its repair lock held; a reverse proxy with
  // nginx's default 1 MiB body limit refuses it before that. No operator reviews 25 MB either.
  it("stays within what approval can post and read back, for the largest valid bundle", () => {
    const verdict = warnings(9_999, (i) => `${i}`.padEnd(500, "@"));
    expect(verdict.verdict).toBe("needs_human");
    const proposal = composeProposal(
      { verdict, target: { repo: "pdurlej/iskra-openclaw", kind: "issue", number: 43 }, trigger: "label", delivery: null, origin: "pdurlej/iskra-openclaw#43", evidenceRef: "e", now: "2026-11-21T12:00:00Z", actor: "patchwarden" },
      "seed",
    );
    const body = (proposal.post as { body: string }).body;
    // Forgejo echoes the body in its JSON answer; `<`, `>` and `&` are escaped there (6 bytes each).
    const echoed = Buffer.byteLength(JSON.stringify({ body }).replace(/[<>&]/g, "\\u003c"));
    expect(echoed).toBeLessThan(DEFAULT_LIMITS.maxBundleBytes);
    // Still the proposal approval looks for, with its verdict and the blocking-first reasons.
    expect(body.split("\n")[0]).toBe(proposalMarker(proposal.id));
    expect(body).toContain("### 🟡 Patchwarden gate: `needs_human` — needs a human");
    expect(body).toContain(`Patchwarden proposal \`${proposal.id}\``);
  }, 60_000);

  it("shows the first 50 reasons and 50 evidence rows, and says how many more and where to read them", () => {
    const verdict = warnings(60);
    expect(verdict.reasons).toHaveLength(60);
    const body = renderMarkdown(verdict, { proposalId: "p_0123456789abcdef0123" });
    expect(reasonLines(body)).toHaveLength(MAX_COMMENT_REASONS);
    expect(reasonLines(body)[0]).toContain("evidence[0] (`s0`)");
    expect(rows(body)).toHaveLength(MAX_COMMENT_EVIDENCE_ROWS);
    // Worded as the what-if comment words its cap.
    expect(body).toContain("\n…and 10 more; `patchwarden queue show p_0123456789abcdef0123` lists them all.\n");
    expect(body).toContain("\n…and 11 more; `patchwarden queue show p_0123456789abcdef0123` lists them all.\n");
    expect(body).not.toContain("too large");
  });

  it("keeps the blocking reasons first when it cuts", () => {
    const warn = Array.from({ length: 60 }, (_, i) => item("runtime-truth-report", { status: "warn", subject: `s${i}`, data: {} }));
    const verdict = evaluate(inputOf(bundleOf("runtime_diagnostics", [...warn, item("autoheal-dashboard", { status: "fail" })])), policy, NOW);
    expect(verdict.verdict).toBe("blocked");
    const shown = reasonLines(renderMarkdown(verdict));
    expect(shown).toHaveLength(MAX_COMMENT_REASONS);
    expect(shown[0]).toMatch(/^- 🔴 `evidence_failed`/);
  });

  it("names no proposal it was not given (`runtime-repair-check --format markdown`)", () => {
    expect(renderMarkdown(warnings(60))).toContain("…and 10 more; `patchwarden queue show <id>` lists them all.");
  });

  it("falls back to a short comment over the byte budget: the same marker and verdict line, the first reasons, and where the rest are", () => {
    const verdict = warnings(200, (i) => `${i}`.padEnd(500, "@"));
    const body = renderMarkdown(verdict, { proposalId: "p_0123456789abcdef0123" });
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_COMMENT_BYTES);
    const lines = body.split("\n");
    expect(lines[0]).toBe(`<!-- patchwarden:verdict bundle=${verdict.bundle.digest} policy=${verdict.policy.digest} engine=${verdict.engine.version} -->`);
    expect(lines[1]).toBe("### 🟡 Patchwarden gate: `needs_human` — needs a human");
    expect(body).toContain("**Repair class:** `runtime_diagnostics` — test candidate");
    expect(body).toContain("> Proposal only: Patchwarden executed nothing.");
    expect(body).toMatch(/full comment would take \d+ KiB, over the 64 KiB a comment may take: it shows the first 10 reasons of 200 and no evidence table; `patchwarden queue show p_0123456789abcdef0123` shows the whole verdict \(201 evidence items\)/);
    expect(reasonLines(body)).toHaveLength(10);
    expect(rows(body)).toHaveLength(0);
    expect(body).toContain("…and 190 more; `patchwarden queue show p_0123456789abcdef0123` lists them all.");
    expect(body).toContain(`- policy: \`${verdict.policy.digest}\``);
  });

  it("keeps the short comment short whatever a reason or the summary holds", () => {
    const warn = Array.from({ length: 300 }, (_, i) => item("runtime-truth-report", { status: "warn", subject: `${i}`.padEnd(500, "@"), data: {} }));
    const bundle = bundleOf("runtime_diagnostics", [...warn, item("autoheal-dashboard")], { summary: "@".repeat(2000) });
    const verdict = evaluate(inputOf(bundle), policy, NOW);
    const long = { ...verdict, reasons: [{ ...verdict.reasons[0]!, message: `${"`x` ".repeat(20_000)}is too long` }, ...verdict.reasons.slice(1)] };
    const body = renderMarkdown(long);
    expect(Buffer.byteLength(body)).toBeLessThan(16 * 1024);
    expect(reasonLines(body)[0]).toBe("- 🟡 `evidence_warn` — this reason is too long to show here; `patchwarden queue show <id>` shows it");
    expect(body).toContain(`**Repair class:** \`runtime_diagnostics\` — ${"@\u200b".repeat(300)}…`);
  });

  it("shows at most 20 of the class's postchecks, and keeps the short comment short whatever the policy's text holds", () => {
    const verdict = warnings(1);
    const postchecks = Array.from({ length: 30 }, (_, i) => `check ${i}`);
    const listed = renderMarkdown({ ...verdict, repair: { ...verdict.repair!, postchecks } }, { proposalId: "p_0123456789abcdef0123" });
    expect(listed.split("\n").filter((line) => /^- `check \d+`$/.test(line))).toHaveLength(MAX_COMMENT_POSTCHECKS);
    expect(listed).toContain("\n- …and 10 more; `patchwarden queue show p_0123456789abcdef0123` lists them all.\n");
    // Operator-written, but unbounded: a policy's text may push the comment over the budget.
    const huge = { ...verdict, repair: { ...verdict.repair!, executor: "@".repeat(100_000), postchecks: Array.from({ length: 1_000 }, () => "@".repeat(10_000)) } };
    const body = renderMarkdown(huge);
    expect(body).toMatch(/full comment would take \d+ KiB/);
    expect(Buffer.byteLength(body)).toBeLessThan(24 * 1024);
    expect(body).toContain(`**Executor:** \`${"@\u200b".repeat(300)}…\``);
    expect(body).toContain("\n- …and 990 more; `patchwarden queue show <id>` lists them all.\n");
  });
});

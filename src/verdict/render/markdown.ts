import { cellCode, codeSpan, escapeMarkdown, messageMarkdown } from "../../markdown/inline.js";
import { formatDuration } from "../../time/duration.js";
import type { Reason, Verdict } from "../verdict-types.js";
import { targetParts, VERDICT_HEADLINE, VERDICT_ICON } from "./labels.js";

const SEVERITY_ICON = { block: "🔴", hold: "🟡", info: "ℹ️" } as const;

/** Past this many reasons, or evidence rows, the comment stops helping an operator; `queue show` has them all. */
export const MAX_COMMENT_REASONS = 50;
export const MAX_COMMENT_EVIDENCE_ROWS = 50;
/**
 * The most a comment body may take, in UTF-8 bytes: far below what Forgejo stores, what a reverse
 * proxy lets through (nginx: 1 MiB by default) and what approval reads back (Forgejo echoes the
 * body, JSON-escaped, in answers capped at 8 MiB), and far above a real verdict's few KiB. A
 * comment over it is replaced by a short one (`shortComment`).
 */
export const MAX_COMMENT_BYTES = 64 * 1024;
/** Postchecks of the repair class shown in the full comment; `queue show` lists them all. */
export const MAX_COMMENT_POSTCHECKS = 20;
/** In the short comment: the first reasons (the blocking ones first), each on a line of at most this many bytes. */
const SHORT_COMMENT_REASONS = 10;
const SHORT_REASON_LINE_BYTES = 1024;
const SHORT_SUMMARY_CHARACTERS = 300;

export interface MarkdownOptions {
  /** The proposal the comment belongs to, named in the "…and N more" lines (`patchwarden queue show <id>`). */
  proposalId?: string;
}

/**
 * The comment body proposed on Forgejo: verdict first, then reasons, then evidence and digests.
 * Reason messages are trusted only inside their code spans (where `quote()` put user values); the
 * rest of a message, and any other user text, goes through `escapeMarkdown`, and user values in
 * code go through `codeSpan` (`cellCode` in the table), so a bundle cannot inject markup or
 * @-mention people. At most 50 reasons and 50 evidence rows are shown, and a body over
 * MAX_COMMENT_BYTES becomes a short one that still states the verdict and its first reasons.
 */
export function renderMarkdown(verdict: Verdict, options: MarkdownOptions = {}): string {
  const full = fullComment(verdict, options);
  return Buffer.byteLength(full) <= MAX_COMMENT_BYTES ? full : shortComment(verdict, options, Buffer.byteLength(full));
}

function fullComment(verdict: Verdict, options: MarkdownOptions): string {
  const out = head(verdict, verdict.candidate_summary, repairLines(verdict, FULL_REPAIR, options));
  out.push("#### Reasons", "");
  for (const reason of verdict.reasons.slice(0, MAX_COMMENT_REASONS)) out.push(reasonLine(reason));
  if (verdict.reasons.length > MAX_COMMENT_REASONS) out.push("", andMore(verdict.reasons.length - MAX_COMMENT_REASONS, options));
  if (verdict.evidence.length > 0) {
    out.push("", "#### Evidence", "", "| # | kind | subject | status | age | stale at |", "| --- | --- | --- | --- | --- | --- |");
    for (const item of verdict.evidence.slice(0, MAX_COMMENT_EVIDENCE_ROWS)) {
      out.push(`| ${item.index} | \`${item.kind}\` | ${item.subject ? cellCode(item.subject) : ""} | \`${item.status}\` | ${formatDuration(item.age_seconds)} | ${item.stale_at} |`);
    }
    if (verdict.evidence.length > MAX_COMMENT_EVIDENCE_ROWS) out.push("", andMore(verdict.evidence.length - MAX_COMMENT_EVIDENCE_ROWS, options));
  }
  out.push(...digests(verdict));
  return `${out.join("\n")}\n`;
}

/**
 * The comment when the full one is over MAX_COMMENT_BYTES: the same marker, verdict line, repair
 * class, target, and the class's risk, executor and first postchecks (each text shortened), the
 * first reasons, and where to read the rest; no evidence table. Its size is bounded whatever the
 * bundle or the policy holds.
 */
function shortComment(verdict: Verdict, options: MarkdownOptions, fullBytes: number): string {
  const summary = verdict.candidate_summary === null ? null : shorten(verdict.candidate_summary, SHORT_SUMMARY_CHARACTERS);
  const out = head(verdict, summary, repairLines(verdict, SHORT_REPAIR, options));
  const shown = verdict.reasons.slice(0, SHORT_COMMENT_REASONS);
  out.push(
    `> This verdict's full comment would take ${Math.ceil(fullBytes / 1024)} KiB, over the ${MAX_COMMENT_BYTES / 1024} KiB a comment may take: it shows the first ${count(shown.length, "reason")} of ${verdict.reasons.length} and no evidence table; ${codeSpan(queueShow(options))} shows the whole verdict (${count(verdict.evidence.length, "evidence item")}).`,
    "",
    "#### Reasons",
    "",
  );
  for (const reason of shown) {
    const line = reasonLine(reason);
    out.push(Buffer.byteLength(line) <= SHORT_REASON_LINE_BYTES ? line : `- ${SEVERITY_ICON[reason.severity]} \`${reason.code}\` — this reason is too long to show here; ${codeSpan(queueShow(options))} shows it`);
  }
  if (verdict.reasons.length > shown.length) out.push("", andMore(verdict.reasons.length - shown.length, options));
  out.push(...digests(verdict));
  return `${out.join("\n")}\n`;
}

/** The marker, the verdict line, the repair class, target and `repair` lines, and the proposal-only notice. */
function head(verdict: Verdict, summary: string | null, repair: readonly string[]): string[] {
  const out: string[] = [];
  out.push(`<!-- patchwarden:verdict bundle=${verdict.bundle.digest ?? "none"} policy=${verdict.policy.digest} engine=${verdict.engine.version} -->`);
  out.push(`### ${VERDICT_ICON[verdict.verdict]} Patchwarden gate: \`${verdict.verdict}\` — ${VERDICT_HEADLINE[verdict.verdict]}`);
  out.push("");
  if (verdict.repair_class !== null) {
    out.push(`**Repair class:** ${codeSpan(verdict.repair_class)}${summary ? ` — ${escapeMarkdown(summary)}` : ""}`);
    const target = targetParts(verdict.target, codeSpan);
    if (target.length > 0) out.push(`**Target:** ${target.join(", ")}`);
    out.push(...repair);
    out.push("");
  }
  out.push("> Proposal only: Patchwarden executed nothing. Restarts, deploy/apply/sync, auth or network changes and destructive actions stay with the operator.");
  out.push("");
  return out;
}

interface RepairLimits {
  /** Each text cut at this many characters, or whole. */
  characters: number | null;
  postchecks: number;
}

const FULL_REPAIR: RepairLimits = { characters: null, postchecks: MAX_COMMENT_POSTCHECKS };
const SHORT_REPAIR: RepairLimits = { characters: SHORT_SUMMARY_CHARACTERS, postchecks: SHORT_COMMENT_REASONS };

/**
 * The repair class's risk, executor and postchecks, as the policy names them (#68: a recommended
 * executor and required postchecks per class). Operator-written text, shown through code spans
 * all the same, and cut to `limits` so the short comment stays bounded whatever the policy holds.
 */
function repairLines(verdict: Verdict, limits: RepairLimits, options: MarkdownOptions): string[] {
  // A verdict stored by an engine before 1.4.0 carries no `repair`.
  const repair = verdict.repair ?? null;
  if (repair === null) return [];
  const text = (value: string) => codeSpan(limits.characters === null ? value : shorten(value, limits.characters));
  const lines = [`**Class risk:** ${codeSpan(repair.risk)}`, `**Executor:** ${text(repair.executor)}`];
  if (repair.postchecks.length === 0) return [...lines, "**Postchecks after an approved repair:** none"];
  lines.push("**Postchecks after an approved repair:**");
  for (const check of repair.postchecks.slice(0, limits.postchecks)) lines.push(`- ${text(check)}`);
  if (repair.postchecks.length > limits.postchecks) lines.push(`- ${andMore(repair.postchecks.length - limits.postchecks, options)}`);
  return lines;
}

function reasonLine(reason: Reason): string {
  return `- ${SEVERITY_ICON[reason.severity]} \`${reason.code}\` — ${messageMarkdown(reason.message)}${reason.path ? ` (${codeSpan(reason.path)})` : ""}`;
}

function digests(verdict: Verdict): string[] {
  return [
    "",
    "<details><summary>Digests</summary>",
    "",
    `- bundle: \`${verdict.bundle.digest ?? "unread"}\` (\`${verdict.bundle.format}\`)`,
    `- policy: \`${verdict.policy.digest}\` (${codeSpan(verdict.policy.name)})`,
    `- engine: \`${verdict.engine.name} ${verdict.engine.version}\``,
    `- evaluated at ${verdict.evaluated_at}; valid until ${verdict.valid_until ?? "—"}`,
    "",
    "</details>",
  ];
}

/** As the what-if comment words its cap (`…and N more; … lists them all.`). */
function andMore(more: number, options: MarkdownOptions): string {
  return `…and ${more} more; ${codeSpan(queueShow(options))} lists them all.`;
}

function queueShow(options: MarkdownOptions): string {
  return `patchwarden queue show ${options.proposalId ?? "<id>"}`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** At most `max` characters, cut at a code point, before any escaping (a cut escape or code span could leak markup). */
function shorten(text: string, max: number): string {
  const points = [...text];
  return points.length <= max ? text : `${points.slice(0, max).join("")}…`;
}

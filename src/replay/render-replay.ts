import { cellCode, codeSpan, escapeMarkdown } from "../markdown/inline.js";
import { describeForgejoTarget } from "../receipts/drafts.js";
import type { Rejudged } from "./rejudge.js";
import type { ReplayReport } from "./replay-verdicts.js";

/** Rows shown in a comment; the rest are counted, and `patchwarden replay` lists them all. */
export const MAX_COMMENT_ROWS = 50;

const DIRECTION_LABEL = { loosened: "LOOSER", tightened: "stricter", unchanged: "same" } as const;

/** For a terminal: the summary, then one line per changed verdict, most permissive first. */
export function renderReplayText(report: ReplayReport, policyLabel: string): string {
  const out: string[] = [];
  out.push(`replayed ${count(report.replayed, "past verdict")} (receipts 1–${report.through_seq}${report.since === null ? "" : `, recorded since ${report.since}`}) under ${policyLabel} (${report.policy.name}, ${report.policy.digest})`);
  const loosenings = report.policy_loosenings;
  if (loosenings.length > 0 && report.running !== null) {
    out.push(`${count(loosenings.length, "setting")} looser than the running policy (${report.running.name}, ${report.running.digest}), whatever past verdicts show:`);
    for (const l of loosenings) out.push(`  LOOSER   ${l.path}: ${l.change}`);
  }
  if (report.changed.length === 0) {
    out.push(notReplayed(report) > 0 ? "no replayed verdict would change" : "no verdict would change");
  } else {
    out.push(`${count(report.changed.length, "verdict")} would change: ${report.loosened} looser, ${report.tightened} stricter`);
    for (const change of report.changed) out.push(textRow(change));
  }
  out.push(...coverageNotes(report));
  return `${out.join("\n")}\n`;
}

function textRow(r: Rejudged): string {
  const where = [r.target ? describeForgejoTarget(r.target) : null, r.proposal_id ?? null].filter((part) => part !== null).join(" ");
  const reasons = [...r.reasons_removed.map((code) => `-${code}`), ...r.reasons_added.map((code) => `+${code}`)].join(" ");
  return `  ${DIRECTION_LABEL[r.direction].padEnd(8)} ${r.before} → ${r.after}${lockNote(r, (v) => v)}  receipt ${r.seq}, judged ${r.evaluated_at}, ${r.repair_class ?? "no repair class"}${where ? `, ${where}` : ""}${reasons ? `  [${reasons}]` : ""}${liftedNote(r, (v) => v)}${r.engine_changed ? "  (other engine version)" : ""}`;
}

/** The checks a row lost while its verdict stayed: the reason codes alone may not show them. */
function liftedNote(r: Rejudged, check: (text: string) => string): string {
  return r.loosened_checks ? `  (lifted: ${r.loosened_checks.map(check).join(", ")})` : "";
}

/** A lock held the verdict on both sides; what the policy alone decides is what the direction compares. */
function lockNote(r: Rejudged, verdict: (name: string) => string): string {
  return r.without_lock ? ` (held by a repair lock; without it ${verdict(r.without_lock.before)} → ${verdict(r.without_lock.after)})` : "";
}

function coverageNotes(report: ReplayReport): string[] {
  const notes: string[] = [];
  const checksOnly = report.changed.filter((r) => r.loosened_checks !== undefined).length;
  if (checksOnly > 0) {
    const one = checksOnly === 1;
    notes.push(`note: ${count(checksOnly, "looser row")} ${one ? "keeps its" : "keep their"} verdict (or a stricter one), but a check that held or blocked ${one ? "it is" : "them is"} gone: ${one ? "it" : "they"} would be more permissive once the other reasons clear`);
  }
  if (report.engine_changed > 0) notes.push(`note: ${count(report.engine_changed, "verdict")} ${report.engine_changed === 1 ? "was" : "were"} first judged by another engine version; part of a change may be the engine's, not the policy's`);
  if (!report.receipt_log) notes.push("note: the data folder holds no receipt log (neither receipts.jsonl nor receipts.head), so there was nothing to replay");
  if (report.without_evidence > 0) notes.push(`not replayed: ${count(report.without_evidence, "verdict")} recorded without ${report.without_evidence === 1 ? "its evidence kept (start after it" : "their evidence kept (start after them"} with --since)`);
  for (const miss of report.unreplayable) notes.push(`not replayed: receipt ${miss.seq}: ${miss.problem}`);
  return notes;
}

/**
 * The what-if comment for a policy change: a summary line a reviewer can act on, then the changed
 * verdicts as a table (looser first), then what the replay could not cover.
 */
export function renderWhatIfMarkdown(report: ReplayReport, change: { path: string; ref: string }): string {
  const out: string[] = [];
  const loosens = report.loosened > 0 || report.policy_loosenings.length > 0;
  const icon = loosens ? "🟡" : notReplayed(report) > 0 ? "⚪" : "🟢";
  out.push(`### ${icon} Patchwarden policy what-if: ${headline(report)}`);
  out.push("");
  out.push(`${codeSpan(change.path)} at ${codeSpan(change.ref)} (policy ${codeSpan(report.policy.name)}, \`${report.policy.digest}\`), replayed on ${count(report.replayed, "past verdict")} (receipts 1–${report.through_seq}), each judged again on its kept evidence as of its own time.`);
  out.push("");
  out.push("> Proposal only: Patchwarden changed nothing. Whether this policy is merged stays with the operator.");
  if (report.policy_loosenings.length > 0 && report.running !== null) {
    // Policy text came from a push: the paths in code spans, the rest escaped.
    out.push("", `**Looser than the running policy** (${codeSpan(report.running.name)}, \`${report.running.digest}\`), whether or not a past verdict shows it:`, "");
    for (const l of report.policy_loosenings) out.push(`- ${codeSpan(l.path)}: ${escapeMarkdown(l.change)}`);
  }
  if (report.changed.length > 0) {
    out.push("", "| change | before | after | receipt | judged at | repair class | target | reasons |", "| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (const r of report.changed.slice(0, MAX_COMMENT_ROWS)) {
      const reasons = [...r.reasons_removed.map((code) => `−${code}`), ...r.reasons_added.map((code) => `+${code}`)].map((code) => cellCode(code)).join(" ") + liftedNote(r, cellCode);
      out.push(`| ${r.direction === "loosened" ? "**looser**" : "stricter"} | \`${r.before}\` | \`${r.after}\`${lockNote(r, (v) => `\`${v}\``)} | ${r.seq} | ${r.evaluated_at} | ${r.repair_class === null ? "—" : cellCode(r.repair_class)} | ${r.target ? cellCode(describeForgejoTarget(r.target)) : "—"} | ${reasons} |`);
    }
    // The file name came from a push: in a code span like every other producer text, never raw markdown.
    if (report.changed.length > MAX_COMMENT_ROWS) out.push("", `…and ${report.changed.length - MAX_COMMENT_ROWS} more; ${codeSpan(`patchwarden replay --policy ${change.path}`)} lists them all.`);
  }
  const notes = coverageNotes(report);
  if (notes.length > 0) out.push("", ...notes.map((note) => `- ${note.replace(/^(note|not replayed): /, "")}`));
  return `${out.join("\n")}\n`;
}

/**
 * One line, also the commit status description (Forgejo keeps 255 characters of it). It speaks
 * only for what was replayed: with verdicts left out, "no past verdict would change" is unchecked.
 * Settings looser than the running policy come first: no past verdict may show them.
 */
export function headline(report: ReplayReport): string {
  const uncovered = notReplayed(report);
  const counts = `${report.replayed} replayed${uncovered > 0 ? `, ${uncovered} not replayed` : ""}`;
  const settings = report.policy_loosenings.length > 0 ? `${count(report.policy_loosenings.length, "looser setting")}; ` : "";
  if (report.changed.length === 0) return `${settings}no ${uncovered > 0 ? "replayed" : "past"} verdict would change (${counts})`;
  return `${settings}${count(report.changed.length, "past verdict")} would change, ${report.loosened} looser, ${report.tightened} stricter (${counts})`;
}

function notReplayed(report: ReplayReport): number {
  return report.without_evidence + report.unreplayable.length;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

import { writeOutUnsafe } from "../../markdown/unsafe-characters.js";
import { formatDuration } from "../../time/duration.js";
import type { Verdict } from "../verdict-types.js";
import { targetParts, VERDICT_HEADLINE } from "./labels.js";

/**
 * For a terminal: verdict first, one line per reason, then the digests. Text from the bundle (the
 * summary, subjects, paths that name its keys), anything echoing it, and the policy's executor and
 * postchecks are written out with `writeOutUnsafe`, so an escape sequence cannot move the cursor
 * over the verdict line, and a bidirectional or invisible character shows as `\u202e` or `\u200b`.
 */
export function renderText(verdict: Verdict): string {
  const lines = [`verdict: ${verdict.verdict} (${VERDICT_HEADLINE[verdict.verdict]})`];
  if (verdict.repair_class !== null) {
    lines.push(`repair class: ${writeOutUnsafe(verdict.repair_class)}${verdict.candidate_summary ? ` — ${oneLine(verdict.candidate_summary)}` : ""}`);
    // Below it, as the Markdown comment's **Target:**; `queue show` has its own `target:`, the proposal's issue or commit.
    const target = targetParts(verdict.target, oneLine);
    if (target.length > 0) lines.push(`repair target: ${target.join(", ")}`);
  }
  lines.push(...repairLines(verdict));
  lines.push("", "reasons:");
  for (const reason of verdict.reasons) {
    lines.push(`  [${reason.severity}] ${reason.code}${reason.path ? ` at ${writeOutUnsafe(reason.path)}` : ""}`, `         ${writeOutUnsafe(reason.message)}`);
  }
  if (verdict.evidence.length > 0) {
    lines.push("", "evidence:");
    for (const item of verdict.evidence) {
      lines.push(`  [${item.index}] ${item.kind}${item.subject ? ` (${oneLine(item.subject)})` : ""}: ${item.status}, ${formatDuration(item.age_seconds)} old, stale at ${item.stale_at}`);
    }
  }
  lines.push(
    "",
    `bundle:  ${verdict.bundle.digest ?? "(unread)"} (${verdict.bundle.format})`,
    `policy:  ${verdict.policy.digest} (${writeOutUnsafe(verdict.policy.name)})`,
    `engine:  ${verdict.engine.name} ${verdict.engine.version}`,
    `evaluated at ${verdict.evaluated_at}; valid until ${verdict.valid_until ?? "(no evidence)"}`,
    "mode: proposal only — Patchwarden executed nothing.",
  );
  return `${lines.join("\n")}\n`;
}

/** The repair class's risk, executor and postchecks, as the policy names them; none for a verdict stored before engine 1.4.0. */
function repairLines(verdict: Verdict): string[] {
  const repair = verdict.repair ?? null;
  if (repair === null) return [];
  const lines = [`class risk: ${oneLine(repair.risk)}`, `executor: ${oneLine(repair.executor)}`];
  if (repair.postchecks.length === 0) return [...lines, "postchecks: none"];
  return [...lines, "postchecks:", ...repair.postchecks.map((check) => `  - ${oneLine(check)}`)];
}

/** Producer text on one line: whitespace runs folded to a space, then every unsafe character written out. */
function oneLine(text: string): string {
  return writeOutUnsafe(text.replace(/\s+/g, " ").trim());
}

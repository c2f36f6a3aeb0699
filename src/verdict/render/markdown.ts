import { breakMentions, escapeMarkdown } from "../../markdown/inline.js";
import { formatDuration } from "../../time/duration.js";
import type { Verdict } from "../verdict-types.js";
import { VERDICT_HEADLINE, VERDICT_ICON } from "./labels.js";
import { UNSAFE_CHARACTERS } from "../../markdown/unsafe-characters.js";

const SEVERITY_ICON = { block: "🔴", hold: "🟡", info: "ℹ️" } as const;

/**
 * The comment body proposed on Forgejo: verdict first, then reasons, then evidence and digests.
 * Reason messages echo user values only through `quote()` (code spans, no newlines); any other
 * user text goes through `escapeMarkdown` so a bundle cannot inject markup or @-mention people.
 */
export function renderMarkdown(verdict: Verdict): string {
  const out: string[] = [];
  out.push(`<!-- patchwarden:verdict bundle=${verdict.bundle.digest ?? "none"} policy=${verdict.policy.digest} engine=${verdict.engine.version} -->`);
  out.push(`### ${VERDICT_ICON[verdict.verdict]} Patchwarden gate: \`${verdict.verdict}\` — ${VERDICT_HEADLINE[verdict.verdict]}`);
  out.push("");
  if (verdict.repair_class !== null) {
    out.push(`**Repair class:** \`${verdict.repair_class}\`${verdict.candidate_summary ? ` — ${escapeMarkdown(verdict.candidate_summary)}` : ""}`);
    if (verdict.target) {
      const parts = [verdict.target.host && `host ${code(verdict.target.host)}`, verdict.target.service && `service ${code(verdict.target.service)}`].filter(Boolean);
      if (parts.length > 0) out.push(`**Target:** ${parts.join(", ")}`);
    }
    out.push("");
  }
  out.push("> Proposal only: Patchwarden executed nothing. Restarts, deploy/apply/sync, auth or network changes and destructive actions stay with the operator.");
  out.push("");
  out.push("#### Reasons");
  out.push("");
  for (const reason of verdict.reasons) {
    out.push(`- ${SEVERITY_ICON[reason.severity]} \`${reason.code}\` — ${breakMentions(reason.message)}${reason.path ? ` (${code(reason.path)})` : ""}`);
  }
  if (verdict.evidence.length > 0) {
    out.push("", "#### Evidence", "", "| # | kind | subject | status | age | stale at |", "| --- | --- | --- | --- | --- | --- |");
    for (const item of verdict.evidence) {
      out.push(`| ${item.index} | \`${item.kind}\` | ${item.subject ? code(item.subject) : ""} | \`${item.status}\` | ${formatDuration(item.age_seconds)} | ${item.stale_at} |`);
    }
  }
  out.push(
    "",
    "<details><summary>Digests</summary>",
    "",
    `- bundle: \`${verdict.bundle.digest ?? "unread"}\` (\`${verdict.bundle.format}\`)`,
    `- policy: \`${verdict.policy.digest}\` (${code(verdict.policy.name)})`,
    `- engine: \`${verdict.engine.name} ${verdict.engine.version}\``,
    `- evaluated at ${verdict.evaluated_at}; valid until ${verdict.valid_until ?? "—"}`,
    "",
    "</details>",
  );
  return `${out.join("\n")}\n`;
}

/** A code span for user text: no backticks, pipes or line breaks survive to break out of it. */
function code(text: string): string {
  return `\`${breakMentions(text.replace(/[`|]/g, "'").replace(UNSAFE_CHARACTERS, " "))}\``;
}

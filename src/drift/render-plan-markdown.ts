import { cellCode, codeSpan as code, escapeMarkdown } from "../markdown/inline.js";
import { RISK_RANK } from "./drift-rules.js";
import { ignoreGlobsDiffer, type DriftPlan, type FileState, type PlanFile } from "./plan-schema.js";

/** Past this many rows the table stops helping an operator reading in a minute; the JSON form has every file. */
export const MAX_TABLE_ROWS = 40;

const RISK_ICON = { none: "🟢", low: "🟢", medium: "🟡", high: "🔴" } as const;

/**
 * The plan as an operator reads it: a summary line, the files (riskiest first), the executor and
 * the checks. Every producer-supplied text (paths, hosts, roots, link targets) is escaped or put
 * in a code span, so a hostile file name cannot inject markup.
 */
export function renderPlanMarkdown(plan: DriftPlan): string {
  const out: string[] = [];
  const differing = plan.counts.changed + plan.counts.added + plan.counts.removed;
  out.push(`<!-- patchwarden:drift-plan ${plan.digest} -->`);
  if (!plan.drift) {
    out.push(`### ${RISK_ICON.none} Deploy drift: none — nothing to deploy`, "");
    out.push(`All ${plan.counts.unchanged} file(s) of ${side(plan.local)} match ${side(plan.remote)}; skipped on both sides: ${globs(skippedOnBothSides(plan))}.`, "");
  } else {
    const manual = plan.hard_manual.length > 0 ? `, hard-manual: ${plan.hard_manual.map((name) => `\`${name}\``).join(", ")}` : "";
    out.push(`### ${RISK_ICON[plan.risk]} Deploy drift: ${differing} file(s) differ — risk **${plan.risk}**${manual}`, "");
    out.push(`${plan.counts.changed} changed, ${plan.counts.added} added, ${plan.counts.removed} removed (${plan.counts.unchanged} unchanged) between ${side(plan.local)} (local) and ${side(plan.remote)} (remote); skipped on both sides: ${globs(skippedOnBothSides(plan))}.`, "");
  }
  out.push(`> Proposal only: Patchwarden copied, synced, deployed and restarted nothing. The canonical runbook ${code(plan.executor)} stays the executor; any apply needs the operator's explicit acceptance of plan \`${plan.digest}\`.`, "");
  if (ignoreGlobsDiffer(plan)) {
    out.push(`> ⚠️ The manifests skipped different globs (local: ${globs(plan.local.ignore)}; remote: ${globs(plan.remote.ignore)}): a file skipped on one side shows as added or removed. Take both with the same \`--ignore\`.`, "");
  }
  if (plan.drift) {
    out.push("| risk | change | path | target on the host | local | remote |", "| --- | --- | --- | --- | --- | --- |");
    const rows = [...plan.files].sort((a, b) => RISK_RANK[b.risk] - RISK_RANK[a.risk] || (a.path < b.path ? -1 : 1));
    for (const file of rows.slice(0, MAX_TABLE_ROWS)) {
      out.push(`| ${RISK_ICON[file.risk]} ${file.risk}${file.hard_manual ? ` · \`${file.hard_manual}\`` : ""} | ${describeChange(file)} | ${cellCode(file.path)} | ${file.target === null ? "**unmapped**" : cellCode(file.target)} | ${state(file.local)} | ${state(file.remote)} |`);
    }
    if (rows.length > MAX_TABLE_ROWS) out.push("", `…and ${rows.length - MAX_TABLE_ROWS} more file(s), none riskier than those above; \`--format json\` lists every one.`);
    out.push("");
  }
  out.push(`**Executor:** ${code(plan.executor)} (the canonical deploy runbook; Patchwarden is not a deployer)`, "");
  out.push("**Prechecks** (before any write):", "");
  out.push(`- the deploy lock ${code(plan.prechecks.deploy_lock.lock)} is free; the executor holds it from the first write until the postchecks are done`);
  out.push(`- the host still matches the remote manifest \`${plan.prechecks.remote_unchanged.digest}\`; if not, make a new plan`);
  const backups = plan.prechecks.backup.files;
  out.push(backups.length > 0 ? `- ${backups.length} file(s) to be overwritten or removed are backed up to ${code(plan.prechecks.backup.location)}, each checked against its remote digest (listed below)` : "- nothing is overwritten or removed, so nothing needs a backup");
  out.push("", "**Postchecks** (after an apply):", "");
  if (plan.postchecks.length === 0) out.push("- none named by the policy");
  for (const check of plan.postchecks) out.push(`- ${escapeMarkdown(check)}`);
  out.push("", `**An apply receipt must record:** ${plan.receipt_fields.map((field) => `\`${field.field}\``).join(", ")}.`, "");
  if (backups.length > 0) {
    out.push(`<details><summary>Backups for rollback (${backups.length})</summary>`, "", "| path | target on the host | remote digest | mode |", "| --- | --- | --- | --- |");
    for (const backup of backups.slice(0, MAX_TABLE_ROWS)) out.push(`| ${cellCode(backup.path)} | ${backup.target === null ? "**unmapped**" : cellCode(backup.target)} | \`${backup.sha256}\` | \`${backup.mode}\` |`);
    if (backups.length > MAX_TABLE_ROWS) out.push("", `…and ${backups.length - MAX_TABLE_ROWS} more; \`--format json\` lists every one.`);
    out.push("", "</details>", "");
  }
  out.push(
    "<details><summary>Manifests and digests</summary>",
    "",
    `- local: ${side(plan.local)}, ${plan.local.files} file(s), taken ${plan.local.generated_at}, \`${plan.local.digest}\``,
    `- remote: ${side(plan.remote)}, ${plan.remote.files} file(s), taken ${plan.remote.generated_at}, \`${plan.remote.digest}\``,
    `- skipped on both sides: ${globs(skippedOnBothSides(plan))}; a file they match is in neither manifest, so no plan can say it matches`,
    `- policy: ${code(plan.policy.name)} \`${plan.policy.digest}\``,
    `- plan: \`${plan.digest}\`, made ${plan.planned_at}; supersedes ${code(plan.superseded_source)} as source material, not as implementation`,
    "",
    "</details>",
  );
  return `${out.join("\n")}\n`;
}

function describeChange(file: PlanFile): string {
  if (file.change !== "changed") return file.change;
  const parts = file.differs.map((aspect) => (aspect === "mode" ? `mode ${file.remote!.mode} → ${file.local!.mode}` : aspect === "type" ? `${file.remote!.type} → ${file.local!.type}` : "content"));
  return `changed: ${parts.join(", ")}`;
}

function state(file: FileState | null): string {
  if (file === null) return "—";
  const short = `\`${file.sha256.slice("sha256:".length, "sha256:".length + 12)}\``;
  return file.type === "symlink" ? `link → ${cellCode(file.link ?? "")}` : `${short} ${file.size} B \`${file.mode}\``;
}

function side(ref: DriftPlan["local"]): string {
  return `${code(ref.host)}:${code(ref.root)}`;
}

/** Past this many globs a list stops being read; the JSON form has every one. */
const MAX_GLOBS_SHOWN = 20;

function globs(list: readonly string[]): string {
  if (list.length === 0) return "none";
  const shown = list.slice(0, MAX_GLOBS_SHOWN).map(code).join(", ");
  return list.length > MAX_GLOBS_SHOWN ? `${shown} and ${list.length - MAX_GLOBS_SHOWN} more` : shown;
}

/**
 * The globs both manifests skipped, each once: "all files match" is about the rest of the tree,
 * and the operator must see what that leaves out.
 */
function skippedOnBothSides(plan: DriftPlan): string[] {
  const remote = new Set(plan.remote.ignore);
  return [...new Set(plan.local.ignore)].filter((glob) => remote.has(glob));
}

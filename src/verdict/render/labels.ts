import type { Verdict, VerdictName } from "../verdict-types.js";

export const VERDICT_HEADLINE: Record<VerdictName, string> = {
  eligible_repair_dry_run: "eligible for a repair dry run",
  needs_human: "needs a human",
  blocked: "blocked",
};

export const VERDICT_ICON: Record<VerdictName, string> = {
  eligible_repair_dry_run: "🟢",
  needs_human: "🟡",
  blocked: "🔴",
};

/** The candidate's target as its named parts (`host …`, `service …`), each value written by `write`; none when it names neither. */
export function targetParts(target: Verdict["target"], write: (value: string) => string): string[] {
  const parts: string[] = [];
  if (target?.host) parts.push(`host ${write(target.host)}`);
  if (target?.service) parts.push(`service ${write(target.service)}`);
  return parts;
}

import type { VerdictName } from "../verdict-types.js";

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

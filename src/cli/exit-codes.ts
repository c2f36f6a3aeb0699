import type { VerdictName } from "../verdict/verdict-types.js";

/** Scripts and the hourly timer branch on these; they are part of the public contract. */
export const EXIT = {
  ok: 0,
  internalError: 1,
  cannotRun: 2,
  needsHuman: 10,
  blocked: 20,
} as const;

export function exitCodeFor(verdict: VerdictName): number {
  switch (verdict) {
    case "eligible_repair_dry_run":
      return EXIT.ok;
    case "needs_human":
      return EXIT.needsHuman;
    case "blocked":
      return EXIT.blocked;
  }
}

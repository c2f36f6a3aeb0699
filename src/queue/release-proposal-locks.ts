import { LockNotFoundError } from "../locks/lock-errors.js";
import type { RepairLocks } from "../locks/repair-locks.js";

/**
 * Ends the repair locks a proposal's approval took, when the proposal will not be carried out
 * (rejected or superseded after it was approved). A lease that ended meanwhile is left as it is.
 */
export async function releaseProposalLocks(locks: RepairLocks, request: { proposalId: string; actor: string; reason: string; now: number }): Promise<void> {
  const held = (await locks.activeLeases(request.now)).filter((lease) => lease.proposal_id === request.proposalId);
  for (const lease of held) {
    try {
      await locks.release({ lockId: lease.lock_id, actor: request.actor, reason: request.reason.slice(0, 2000), now: request.now });
    } catch (error) {
      if (!(error instanceof LockNotFoundError)) throw error;
    }
  }
}

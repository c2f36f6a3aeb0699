import { applyTargetLocks } from "../locks/apply-locks.js";
import type { RepairLocks } from "../locks/repair-locks.js";
import type { Proposal, VerdictProposal, WhatIfProposal } from "../queue/proposal.js";
import type { Superseding } from "../queue/proposal-store.js";
import type { Verdict } from "../verdict/verdict-types.js";
import { forgejoTarget, proposedDraft, supersededDraft, verdictDraft, whatIfDraft } from "./drafts.js";
import { receiptsOfProposal } from "./proposal-receipts.js";
import type { ReceiptLog } from "./receipt-log.js";
import type { ReceiptDraft } from "./receipt-schema.js";

export interface TrustHooks {
  adjustVerdict: (verdict: Verdict) => Promise<Verdict>;
  record: (proposal: VerdictProposal, queued: boolean) => Promise<void>;
  recordWhatIf: (proposal: WhatIfProposal) => Promise<void>;
  /** The `through_seq` of the what-if receipt of this proposal, for a job run again (null otherwise). */
  whatIfRecordedThrough: (proposalId: string) => Promise<number | null>;
  /** `proposal` is the one just made: the superseded one and its successor share its target. */
  onSuperseded: (superseded: Superseding, proposal: Proposal) => Promise<void>;
}

/**
 * What the gate records of its own work: every verdict gets a `verdict` receipt, every queued
 * proposal a `proposal.proposed` one (in the same write), every policy what-if a
 * `what_if.proposed` one, every supersession its own; and a
 * target under a repair lock holds new verdicts at `needs_human`.
 *
 * `mayRepeat` is for a job run again after a crash: its receipts may already be in the log, so
 * the log is checked first (a scan, paid only by recovered jobs) and nothing is written twice.
 */
export function trustHooks(log: ReceiptLog, locks: RepairLocks, now: () => number, options: { actor: string; mayRepeat?: boolean }): TrustHooks {
  return {
    adjustVerdict: async (verdict) => applyTargetLocks(verdict, await locks.activeLeases(now()), now()),
    record: async (proposal, queued) => {
      const context = { actor: options.actor, proposalId: proposal.id, target: forgejoTarget(proposal.target), evidenceRef: proposal.evidence_ref };
      const drafts: ReceiptDraft[] = [verdictDraft(proposal.verdict, context)];
      if (queued) drafts.push(proposedDraft(proposal.verdict, { ...context, post: proposal.post }));
      if (options.mayRepeat === true) {
        const recorded = new Set((await receiptsOfProposal(log.paths.log, proposal.id)).map((receipt) => receipt.kind));
        const missing = drafts.filter((draft) => !recorded.has(draft.kind));
        if (missing.length > 0) await log.appendAll(missing);
        return;
      }
      await log.appendAll(drafts);
    },
    recordWhatIf: async (proposal) => {
      if (options.mayRepeat === true && (await receiptsOfProposal(log.paths.log, proposal.id)).some((receipt) => receipt.kind === "what_if.proposed")) return;
      await log.append(whatIfDraft(proposal, options.actor));
    },
    whatIfRecordedThrough: async (proposalId) => {
      if (options.mayRepeat !== true) return null;
      const recorded = (await receiptsOfProposal(log.paths.log, proposalId)).find((receipt) => receipt.kind === "what_if.proposed");
      return recorded !== undefined && "through_seq" in recorded ? recorded.through_seq : null;
    },
    onSuperseded: async (superseded, proposal) => {
      await log.append(supersededDraft(superseded, proposal.target, options.actor));
    },
  };
}

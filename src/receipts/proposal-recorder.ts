import { applyTargetLocks } from "../locks/apply-locks.js";
import type { RepairLocks } from "../locks/repair-locks.js";
import type { Proposal, VerdictProposal, WhatIfProposal } from "../queue/proposal.js";
import type { Superseding } from "../queue/proposal-store.js";
import type { RecordedProposal } from "../queue/propose-verdict.js";
import { parseIsoTime } from "../time/iso-time.js";
import type { Verdict } from "../verdict/verdict-types.js";
import { forgejoTarget, proposedDraft, supersededDraft, verdictDraft, whatIfDraft } from "./drafts.js";
import { receiptsOfProposal } from "./proposal-receipts.js";
import type { ReceiptLog } from "./receipt-log.js";
import type { Receipt, ReceiptDraft, ReceiptOf } from "./receipt-schema.js";

export interface TrustHooks {
  /** `at`: the time the verdict is judged at (epoch ms); default the clock. */
  adjustVerdict: (verdict: Verdict, at?: number) => Promise<Verdict>;
  /** What a job run again recorded of this proposal before (null otherwise, and for a job run the first time). */
  recorded: (proposalId: string) => Promise<RecordedProposal | null>;
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
  // What `recorded` read, for the `record` that follows it: one scan of the log per recovered proposal, not two.
  const read = new Map<string, Receipt[]>();
  const receiptsOf = async (proposalId: string): Promise<Receipt[]> => {
    const receipts = read.get(proposalId) ?? (await receiptsOfProposal(log.paths.log, proposalId));
    read.delete(proposalId);
    return receipts;
  };
  return {
    adjustVerdict: async (verdict, at = now()) => applyTargetLocks(verdict, await locks.activeLeases(at), at),
    recorded: async (proposalId) => {
      if (options.mayRepeat !== true) return null;
      const receipts = await receiptsOfProposal(log.paths.log, proposalId);
      read.set(proposalId, receipts);
      return recordedProposal(receipts);
    },
    record: async (proposal, queued) => {
      const context = { actor: options.actor, proposalId: proposal.id, target: forgejoTarget(proposal.target), evidenceRef: proposal.evidence_ref };
      const drafts: ReceiptDraft[] = [verdictDraft(proposal.verdict, context)];
      if (queued) drafts.push(proposedDraft(proposal.verdict, { ...context, post: proposal.post }));
      if (options.mayRepeat === true) {
        const recorded = new Set((await receiptsOf(proposal.id)).map((receipt) => receipt.kind));
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

/** A proposal's verdict as its receipts recorded it: when it was judged, and the post it pins. */
function recordedProposal(receipts: readonly Receipt[]): RecordedProposal | null {
  const proposed = receipts.find((receipt): receipt is ReceiptOf<"proposal.proposed"> => receipt.kind === "proposal.proposed");
  const judged = proposed ?? receipts.find((receipt): receipt is ReceiptOf<"verdict"> => receipt.kind === "verdict");
  if (judged === undefined) return null;
  const post = proposed?.post_digest === undefined ? null : { digest: proposed.post_digest, seq: proposed.seq };
  return { judgedAt: parseIsoTime(judged.evaluated_at), post };
}

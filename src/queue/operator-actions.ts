import type { EvaluationInput } from "../evidence/evaluation-input.js";
import type { ForgejoWriter } from "../forgejo/writer.js";
import { TargetLockedError } from "../locks/lock-errors.js";
import type { RepairLocks } from "../locks/repair-locks.js";
import { targetsOverlap } from "../locks/repair-target.js";
import { repairTargetOf, forgejoTarget } from "../receipts/drafts.js";
import { receiptsOfProposal } from "../receipts/proposal-receipts.js";
import type { ReceiptLog } from "../receipts/receipt-log.js";
import type { DraftOf } from "../receipts/receipt-schema.js";
import type { Policy } from "../policy/policy.js";
import { formatIsoTime } from "../time/iso-time.js";
import { approveProposal, type ApproveOutcome } from "./approve.js";
import type { EvidenceStore } from "./evidence-store.js";
import { isWhatIf, type Proposal, type VerdictProposal } from "./proposal.js";
import type { ProposalStore } from "./proposal-store.js";

export interface OperatorDeps {
  store: ProposalStore;
  evidence: EvidenceStore;
  log: ReceiptLog;
  locks: RepairLocks;
  /** The policy as it is now. */
  policy: Policy;
  /** epoch ms */
  now: number;
  actor: string;
}

/**
 * The operator's approval, from the CLI or the review page alike: the queue's re-check and
 * single post, with a receipt for each step and a repair lock on the target while the repair is
 * carried out. Each `proposal.*` receipt is written once, even when an approval is retried after a
 * crash at any step.
 */
export async function approveAsOperator(id: string, deps: OperatorDeps & { writer: ForgejoWriter }): Promise<ApproveOutcome> {
  return approveProposal(id, {
    store: deps.store,
    evidence: deps.evidence,
    policy: deps.policy,
    now: deps.now,
    writer: deps.writer,
    actor: deps.actor,
    beforeApprove: async (proposal, judged) => {
      const approved = approvedDraft(proposal, deps.actor);
      const already = (await receiptsOfProposal(deps.log.paths.log, proposal.id)).some((receipt) => receipt.kind === "proposal.approved");
      if (isWhatIf(proposal) || judged === null) {
        // A policy what-if repairs nothing: no lock, only the record.
        if (!already) await deps.log.append(approved);
        return null;
      }
      const target = repairTargetOf(proposal.verdict);
      try {
        if (target !== undefined && carriesOutARepair(proposal, judged.input, deps.policy)) {
          // The lease and the approval go to the log in one write: never an approval without its lock.
          await deps.locks.acquire({ target, owner: deps.actor, reason: `approved ${proposal.id}: ${proposal.verdict.repair_class ?? "repair"}`, proposalId: proposal.id, now: deps.now, with: already ? [] : [approved] });
          return null;
        }
        if (target !== undefined) {
          const holder = (await deps.locks.activeLeases(deps.now)).find((lease) => lease.proposal_id !== proposal.id && targetsOverlap(lease.repair_target, target));
          if (holder !== undefined) throw new TargetLockedError(target, holder);
        }
      } catch (error) {
        if (error instanceof TargetLockedError) return `not approved: ${error.message}`;
        throw error;
      }
      if (!already) await deps.log.append(approved);
      return null;
    },
    beforePosted: async (proposal, posted) => {
      const existing = await receiptsOfProposal(deps.log.paths.log, proposal.id);
      if (!existing.some((receipt) => receipt.kind === "proposal.posted")) await deps.log.append(postedDraft(proposal, posted, deps.actor));
    },
  });
}

/** Rejects a pending proposal with a reason; the receipt records who and why. */
export async function rejectAsOperator(id: string, deps: Pick<OperatorDeps, "store" | "log" | "now" | "actor"> & { reason: string }): Promise<{ ok: true } | { ok: false; reason: string }> {
  const before = await deps.store.require(id);
  const rejected = await deps.store.transition(id, ["pending"], "rejected", deps.actor, formatIsoTime(deps.now), deps.reason);
  if (!rejected) {
    const now = await deps.store.require(id);
    return { ok: false, reason: now.state === before.state && now.state === "pending" ? `proposal \`${id}\` is being approved right now; it was not rejected` : `proposal \`${id}\` is ${now.state}; only a pending proposal can be rejected` };
  }
  await deps.log.append({ kind: "proposal.rejected", actor: deps.actor, proposal_id: id, target: forgejoTarget(before.target), reason: deps.reason.slice(0, 2000) || "rejected" });
  return { ok: true };
}

/**
 * A repair that will be carried out holds its target until its postcheck: a class that mutates the
 * runtime, or a candidate that comes with a plan. A read-only check needs no lock.
 */
function carriesOutARepair(proposal: VerdictProposal, input: EvaluationInput, policy: Policy): boolean {
  const cls = proposal.verdict.repair_class === null ? undefined : policy.repairClasses.get(proposal.verdict.repair_class);
  return cls?.mutation === true || input.bundle?.candidate.plan !== undefined;
}

function approvedDraft(proposal: Proposal, actor: string): DraftOf<"proposal.approved"> {
  if (isWhatIf(proposal)) return { kind: "proposal.approved", actor, proposal_id: proposal.id, target: forgejoTarget(proposal.target) };
  const v = proposal.verdict;
  const draft: DraftOf<"proposal.approved"> = {
    kind: "proposal.approved",
    actor,
    proposal_id: proposal.id,
    target: forgejoTarget(proposal.target),
    verdict: v.verdict,
    repair_class: v.repair_class,
    bundle_digest: v.bundle.digest,
    policy_digest: v.policy.digest,
    engine_version: v.engine.version,
    evidence_ref: proposal.evidence_ref,
  };
  const repairTarget = repairTargetOf(v);
  if (repairTarget !== undefined) draft.repair_target = repairTarget;
  return draft;
}

function postedDraft(proposal: Proposal, posted: NonNullable<Proposal["posted"]>, actor: string): DraftOf<"proposal.posted"> {
  const draft: DraftOf<"proposal.posted"> = { kind: "proposal.posted", actor, proposal_id: proposal.id, target: forgejoTarget(proposal.target) };
  if (posted.comment_id !== undefined) draft.comment_id = posted.comment_id;
  if (posted.url !== undefined) draft.url = posted.url;
  return draft;
}

export type { ApproveOutcome };

import type { EvaluationInput } from "../evidence/evaluation-input.js";
import type { ForgejoWriter } from "../forgejo/writer.js";
import { applyTargetLocks } from "../locks/apply-locks.js";
import { TargetLockedError } from "../locks/lock-errors.js";
import { RepairLocks } from "../locks/repair-locks.js";
import { EVERY_TARGET, targetsOverlap } from "../locks/repair-target.js";
import { repairTargetOf, forgejoTarget, supersededDraft } from "../receipts/drafts.js";
import { receiptsOfProposal } from "../receipts/proposal-receipts.js";
import type { ReceiptLog } from "../receipts/receipt-log.js";
import type { DraftOf } from "../receipts/receipt-schema.js";
import type { Policy } from "../policy/policy.js";
import { formatIsoTime } from "../time/iso-time.js";
import { ForgejoError } from "../forgejo/forgejo-error.js";
import { approveProposal, recordPosted, type ApproveOutcome } from "./approve.js";
import { changedSinceProposed } from "./changed-since-proposed.js";
import { describeClaimHolder } from "./claim.js";
import type { EvidenceStore } from "./evidence-store.js";
import { findOnForgejo, type OnForgejo, type PostLookup } from "./find-on-forgejo.js";
import { isWhatIf, type Proposal, type VerdictProposal } from "./proposal.js";
import type { ProposalStore } from "./proposal-store.js";
import { describeTarget } from "./proposal-target.js";
import { releaseProposalLocks } from "./release-proposal-locks.js";
import { DRIFT_EVIDENCE_KIND } from "../drift/plan-item.js";
import { PLAN_SCHEMA_ID } from "../drift/plan-schema.js";

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
 * carried out (not for a `blocked` verdict: no repair follows it). Each `proposal.*` receipt is
 * written once, even when an approval is retried after a crash at any step.
 */
export async function approveAsOperator(id: string, deps: OperatorDeps & { writer: ForgejoWriter }): Promise<ApproveOutcome> {
  return approveProposal(id, {
    store: deps.store,
    evidence: deps.evidence,
    policy: deps.policy,
    now: deps.now,
    writer: deps.writer,
    actor: deps.actor,
    // Judged as the gate judged it: under the locks held now, but not the proposal's own (a retry
    // after its approval took one must not be held by it).
    holdByLocks: async (verdict, proposal) => applyTargetLocks(verdict, (await deps.locks.activeLeases(deps.now)).filter((lease) => lease.proposal_id !== proposal.id), deps.now),
    beforeApprove: async (proposal, judged) => {
      const approved = approvedDraft(proposal, deps.actor);
      const receipts = await receiptsOfProposal(deps.log.paths.log, proposal.id);
      const rejection = receipts.find((receipt) => receipt.kind === "proposal.rejected");
      // A rejection that stopped after its receipt: the log says rejected, so it must not be posted.
      if (rejection !== undefined) return `not approved: proposal \`${proposal.id}\` was rejected by ${rejection.actor} (receipt ${rejection.seq}), but that rejection stopped before the queue recorded it; reject it again to finish`;
      const changed = changedSinceProposed(proposal, receipts);
      if (changed !== null) return changed;
      const already = receipts.some((receipt) => receipt.kind === "proposal.approved");
      if (isWhatIf(proposal) || judged === null) {
        // A policy what-if repairs nothing: no lock, only the record.
        if (!already) await deps.log.append(approved);
        return null;
      }
      // A candidate that names no target may touch anything: it meets every other lock, and its repair locks every target.
      const target = repairTargetOf(proposal.verdict);
      // A blocked verdict is followed by no repair: its post neither holds the target nor waits for it.
      if (proposal.verdict.verdict === "blocked") {
        if (!already) await deps.log.append(approved);
        return null;
      }
      try {
        if (carriesOutARepair(proposal, judged.input, deps.policy)) {
          // The lease and the approval go to the log in one write: never an approval without its lock.
          await deps.locks.acquire({ target: target ?? "every", owner: deps.actor, reason: `approved ${proposal.id}: ${proposal.verdict.repair_class ?? "repair"}`, proposalId: proposal.id, now: deps.now, with: already ? [] : [approved] });
          return null;
        }
        const wanted = target ?? EVERY_TARGET;
        const holder = (await deps.locks.activeLeases(deps.now)).find((lease) => lease.proposal_id !== proposal.id && targetsOverlap(lease.repair_target, wanted));
        if (holder !== undefined) throw new TargetLockedError(wanted, holder);
      } catch (error) {
        if (error instanceof TargetLockedError) return `not approved: ${error.message}`;
        throw error;
      }
      if (!already) await deps.log.append(approved);
      return null;
    },
    beforeSuperseded: async (proposal, by) => {
      const recorded = (await receiptsOfProposal(deps.log.paths.log, proposal.id)).some((receipt) => receipt.kind === "proposal.superseded");
      if (!recorded) await deps.log.append(supersededDraft({ id: proposal.id, by: by.id }, by.target, deps.actor));
      // An earlier approval of it may hold a lock; it will not be carried out now.
      await releaseProposalLocks(deps.locks, { proposalId: proposal.id, actor: deps.actor, reason: `proposal ${proposal.id} superseded by ${by.id} before it was posted`, now: deps.now });
    },
    beforePosted: postedReceipt(deps.log, deps.actor),
  });
}

export interface RejectDeps extends Pick<OperatorDeps, "store" | "log" | "now" | "actor"> {
  reason: string;
  /** The repair locks an earlier approval may hold (default: read from `log`). */
  locks?: RepairLocks;
  /** Asked only for an approved proposal, so a pending one is rejected without any token. */
  forgejo?: LookupSource;
}

/**
 * How to look on Forgejo for an approved proposal's comment or status, or why there is none (no
 * token given), said in the refusal. Read access suffices.
 */
export type LookupSource = () => Promise<PostLookup | string>;

export type RejectOutcome = { ok: true } | { ok: false; reason: string };

/**
 * Rejects a pending proposal, or an approved one whose comment (or status) is not on Forgejo (an
 * approval that stopped before posting), with a reason. Under the proposal's claim, so it cannot
 * race an approval. An approved one is looked for on Forgejo before anything changes: found, it is
 * recorded as posted and not rejected; when Forgejo cannot be asked, nothing changes. The receipt
 * comes first: if writing it fails nothing changed, and a retry after a later failure does not
 * write it twice. A repair lock an earlier approval took is released.
 */
export async function rejectAsOperator(id: string, deps: RejectDeps): Promise<RejectOutcome> {
  const at = formatIsoTime(deps.now);
  const claim = await deps.store.claim(id, deps.actor, at);
  if (!claim.ok) return { ok: false, reason: `proposal \`${id}\` is being handled right now${describeClaimHolder(claim.holder)}; it was not rejected; try again when it is done` };
  try {
    const proposal = await deps.store.require(id);
    if (proposal.state !== "pending" && proposal.state !== "approved") {
      return { ok: false, reason: `proposal \`${id}\` is ${proposal.state}; only a pending proposal can be rejected (or an approved one not recorded as posted)` };
    }
    const locks = deps.locks ?? new RepairLocks(deps.log);
    const receipts = await receiptsOfProposal(deps.log.paths.log, id);
    const approval = receipts.find((receipt) => receipt.kind === "proposal.approved");
    const approvedBy = approval?.actor ?? (proposal.state === "approved" ? approverOf(proposal) : null);
    if (proposal.state === "approved") {
      // Its approval may have posted before it stopped (a POST whose answer was lost): a repair
      // that is on Forgejo keeps its lock, so Forgejo is asked before anything changes.
      const refusal = await refuseIfPosted(proposal, approvedBy ?? "an operator", locks, deps, at);
      if (refusal !== null) return { ok: false, reason: refusal };
    }
    if (!receipts.some((receipt) => receipt.kind === "proposal.rejected")) {
      await deps.log.append(rejectedDraft(proposal, deps.actor, deps.reason, approvedBy));
    }
    await releaseProposalLocks(locks, { proposalId: id, actor: deps.actor, reason: `proposal ${id} rejected: ${deps.reason || "rejected"}`, now: deps.now });
    await deps.store.transitionHeld(id, ["pending", "approved"], "rejected", deps.actor, at, deps.reason);
    return { ok: true };
  } finally {
    await claim.release();
  }
}

/**
 * Null when Forgejo says the approved proposal is not there, so it may be rejected. Otherwise why
 * not: it is there (and is now recorded as posted, as approving again would), or Forgejo could not
 * be asked (nothing changed).
 */
async function refuseIfPosted(proposal: Proposal, approvedBy: string, locks: RepairLocks, deps: RejectDeps, at: string): Promise<string | null> {
  const held = (await locks.activeLeases(deps.now)).find((lease) => lease.proposal_id === proposal.id);
  const lock = held === undefined ? "" : `its repair lock \`${held.lock_id}\``;
  const source = deps.forgejo === undefined ? "no Forgejo token was given to look with" : await deps.forgejo();
  let found: OnForgejo | null = null;
  let unknown = typeof source === "string" ? source : null;
  if (typeof source !== "string") {
    try {
      found = await findOnForgejo(proposal, source);
    } catch (error) {
      if (!(error instanceof ForgejoError)) throw error;
      unknown = error.message;
    }
  }
  if (unknown !== null) {
    return `proposal \`${proposal.id}\` was not rejected: it was approved by ${approvedBy}, and whether that approval posted it cannot be told (${unknown}). Nothing changed${lock === "" ? "" : `, and ${lock} stays`}: approve it again (Forgejo is asked first: what is there is recorded as posted, else it is posted), or reject it again once Forgejo can be asked`;
  }
  if (found === null) return null;
  await recordPosted(proposal, found, "found already posted when rejected; not rejected", { store: deps.store, actor: deps.actor, beforePosted: postedReceipt(deps.log, deps.actor) }, at);
  const where = found.url ?? describeTarget(proposal.target);
  return `proposal \`${proposal.id}\` was not rejected: its approval by ${approvedBy} did post it (${where}) before it stopped, so it is now recorded as posted${lock === "" ? "" : `; ${lock} stays until the repair's postcheck passes or it expires (\`patchwarden lock release ${held!.lock_id} --reason TEXT\` ends it sooner)`}`;
}

/** The `proposal.posted` receipt, written once however often it is recorded. */
function postedReceipt(log: ReceiptLog, actor: string): (proposal: Proposal, posted: NonNullable<Proposal["posted"]>) => Promise<void> {
  return async (proposal, posted) => {
    const existing = await receiptsOfProposal(log.paths.log, proposal.id);
    if (!existing.some((receipt) => receipt.kind === "proposal.posted")) await log.append(postedDraft(proposal, posted, actor));
  };
}

/** An approved proposal's comment may have reached Forgejo (the approval stopped after posting), so its rejection says who approved it. */
function rejectedDraft(proposal: Proposal, actor: string, reason: string, approvedBy: string | null): DraftOf<"proposal.rejected"> {
  const why = reason.slice(0, 2000) || "rejected";
  const text = approvedBy === null ? why : `had been approved by ${approvedBy}, not recorded as posted: ${why}`;
  return { kind: "proposal.rejected", actor, proposal_id: proposal.id, target: forgejoTarget(proposal.target), reason: text.slice(0, 2000) };
}

function approverOf(proposal: Proposal): string {
  return proposal.history.findLast((event) => event.state === "approved")?.actor ?? "an operator";
}

/**
 * A repair that will be carried out holds its target until its postcheck: a class that mutates the
 * runtime, a candidate that comes with a plan, or a drift plan that differs (a deploy the operator
 * carries out with the runbook, however the bundle was made: `drift plan --into` keeps the
 * producer's candidate, which has no plan). A read-only check needs no lock. (A `blocked` verdict
 * never gets here: nothing is carried out after it.)
 */
function carriesOutARepair(proposal: VerdictProposal, input: EvaluationInput, policy: Policy): boolean {
  const cls = proposal.verdict.repair_class === null ? undefined : policy.repairClasses.get(proposal.verdict.repair_class);
  if (cls?.mutation === true || input.bundle?.candidate.plan !== undefined) return true;
  return (input.bundle?.evidence ?? []).some((item) => item.kind === DRIFT_EVIDENCE_KIND && item.data["schema"] === PLAN_SCHEMA_ID && item.data["drift"] === true);
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

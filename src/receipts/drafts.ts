import { canonicalJson } from "../integrity/canonical-json.js";
import { sha256Digest, type Sha256Digest } from "../integrity/digest.js";
import type { Proposal, ProposedPost, WhatIf } from "../queue/proposal.js";
import type { Verdict } from "../verdict/verdict-types.js";
import type { DraftOf, ForgejoTarget, RepairTarget } from "./receipt-schema.js";

/**
 * Builders for the drafts other modules append, so the CLI, the server and the queue record a
 * verdict the same way. Plain functions of their arguments.
 */

/** The queue's target shape (`src/queue/proposal-target.ts`), structurally, to keep the dependency one way. */
export type QueueTarget = { repo: string; kind: "issue" | "pull"; number: number } | { repo: string; kind: "commit"; sha: string };

export function forgejoTarget(target: QueueTarget): ForgejoTarget {
  if (target.kind === "commit") return { repo: target.repo, commit: target.sha };
  return target.kind === "issue" ? { repo: target.repo, issue: target.number } : { repo: target.repo, pr: target.number };
}

/** The candidate's host/service, or undefined when it names neither (its repair may touch anything: see EVERY_TARGET). */
export function repairTargetOf(verdict: Pick<Verdict, "target">): RepairTarget | undefined {
  const host = verdict.target?.host;
  const service = verdict.target?.service;
  if (host === undefined && service === undefined) return undefined;
  return { ...(host === undefined ? {} : { host }), ...(service === undefined ? {} : { service }) };
}

export interface VerdictContext {
  /** Who asked: an operator login, or `patchwarden` for the server's own gate runs. */
  actor: string;
  proposalId?: string;
  target?: ForgejoTarget;
  /** sha256 of the engine's code, when the caller can pin it. */
  engineDigest?: string;
  /** The evidence snapshot the verdict judged, kept by the queue's evidence store. */
  evidenceRef?: string;
}

/** What was decided, on which bytes, under which policy and engine: the verdict receipt. */
export function verdictDraft(verdict: Verdict, context: VerdictContext): DraftOf<"verdict"> {
  const draft: DraftOf<"verdict"> = {
    kind: "verdict",
    actor: context.actor,
    verdict: verdict.verdict,
    repair_class: verdict.repair_class,
    bundle_digest: verdict.bundle.digest,
    policy_digest: verdict.policy.digest,
    engine_version: verdict.engine.version,
    reason_codes: receiptReasonCodes(verdict.reasons.map((reason) => reason.code)),
    evaluated_at: verdict.evaluated_at,
  };
  const repairTarget = repairTargetOf(verdict);
  if (repairTarget !== undefined) draft.repair_target = repairTarget;
  if (context.proposalId !== undefined) draft.proposal_id = context.proposalId;
  if (context.target !== undefined) draft.target = context.target;
  if (context.engineDigest !== undefined) draft.engine_digest = context.engineDigest;
  if (context.evidenceRef !== undefined) draft.evidence_ref = context.evidenceRef;
  return draft;
}

/** The most reason codes a receipt holds (`reason_codes` in receipt-schema.ts). */
export const MAX_RECEIPT_REASON_CODES = 200;

/** Ends a receipt's `reason_codes` when the verdict had more distinct codes than a receipt holds. */
export const REASON_CODES_TRUNCATED = "reason_codes_truncated";

/**
 * A verdict's reason codes as a receipt records them: each code once, in the order first given (a
 * plan of 300 hard-manual steps gives one code 300 times). Should there still be too many, the
 * first ones are kept and the last place says the list was cut, so the verdict is still recorded:
 * a receipt the log refused would turn a valid bundle into an internal error.
 */
export function receiptReasonCodes(codes: readonly string[]): string[] {
  const distinct = [...new Set(codes)];
  if (distinct.length <= MAX_RECEIPT_REASON_CODES) return distinct;
  return [...distinct.slice(0, MAX_RECEIPT_REASON_CODES - 1), REASON_CODES_TRUNCATED];
}

/** `proposal.superseded`: a proposal replaced by a newer one for the same target and bundle. */
export function supersededDraft(superseded: { id: string; by: string }, target: Proposal["target"], actor: string): DraftOf<"proposal.superseded"> {
  return { kind: "proposal.superseded", actor, proposal_id: superseded.id, superseded_by: superseded.by, target: forgejoTarget(target) };
}

/** `proposal.proposed`: the verdict a proposal carries, and where it would be posted. */
export function proposedDraft(verdict: Verdict, context: VerdictContext & { proposalId: string; target: ForgejoTarget; post: ProposedPost }): DraftOf<"proposal.proposed"> {
  const { kind: _kind, ...fields } = verdictDraft(verdict, context);
  return { ...fields, kind: "proposal.proposed", proposal_id: context.proposalId, target: context.target, post_digest: postDigest(context.post) };
}

/** What a proposal would post (a comment's body, or a status), as one digest: the receipt pins it, approval checks it. */
export function postDigest(post: ProposedPost): Sha256Digest {
  return sha256Digest(canonicalJson(post));
}

/**
 * `what_if.proposed`: a policy change's what-if, where it would be posted and what: the receipt
 * pins the proposal file (its target, its `what_if` and its post), so approval refuses an edited one.
 */
export function whatIfDraft(proposal: { id: string; target: QueueTarget; what_if: WhatIf; post: ProposedPost }, actor: string): DraftOf<"what_if.proposed"> {
  const w = proposal.what_if;
  const draft: DraftOf<"what_if.proposed"> = {
    kind: "what_if.proposed",
    actor,
    proposal_id: proposal.id,
    target: forgejoTarget(proposal.target),
    path: w.path.slice(0, 1000),
    policy_digest: w.policy_digest,
    through_seq: w.through_seq,
    replayed: w.replayed,
    loosened: w.loosened,
    tightened: w.tightened,
    not_replayed: w.not_replayed,
    result_digest: w.result_digest,
    what_if_digest: whatIfDigest(w),
    post_digest: postDigest(proposal.post),
  };
  if (w.looser_settings !== undefined) draft.looser_settings = w.looser_settings;
  return draft;
}

/** A what-if record as one digest: everything the reviewer is shown of it, the candidate's text included. */
export function whatIfDigest(whatIf: WhatIf): Sha256Digest {
  return sha256Digest(canonicalJson(whatIf));
}

export function describeForgejoTarget(target: ForgejoTarget): string {
  if ("issue" in target) return `${target.repo}#${target.issue}`;
  if ("pr" in target) return `${target.repo}!${target.pr}`;
  return `${target.repo}@${target.commit.slice(0, 12)}`;
}

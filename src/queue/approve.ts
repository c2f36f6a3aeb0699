import type { EvaluationInput } from "../evidence/evaluation-input.js";
import { snapshotToInput } from "../evidence/snapshot.js";
import type { ForgejoWriter } from "../forgejo/writer.js";
import type { Policy } from "../policy/policy.js";
import { formatIsoTime } from "../time/iso-time.js";
import { evaluate } from "../verdict/evaluate.js";
import type { Verdict } from "../verdict/verdict-types.js";
import { describeClaimHolder } from "./claim.js";
import { STATUS_CONTEXT } from "../forgejo/push-origin.js";
import type { EvidenceStore } from "./evidence-store.js";
import { findOnForgejo, type OnForgejo } from "./find-on-forgejo.js";
import { runWhatIf } from "../replay/what-if.js";
import { isWhatIf, type Proposal, type VerdictProposal, type WhatIfProposal } from "./proposal.js";
import type { ProposalStore } from "./proposal-store.js";

export interface ApproveDeps {
  store: ProposalStore;
  evidence: EvidenceStore;
  /** The policy as it is now, not as it was when the proposal was made. */
  policy: Policy;
  /** epoch ms: the clock as it is now */
  now: number;
  writer: ForgejoWriter;
  actor: string;
  /**
   * Records that the proposal was posted (trust layer: a receipt) before its state says so: a crash
   * in between leaves it `approved`, and a retry finds the comment and records nothing twice.
   */
  beforePosted?: (proposal: Proposal, posted: NonNullable<Proposal["posted"]>) => Promise<void>;
  /**
   * Runs once the proposal still holds, before its state changes: records the approval (and takes a
   * repair lock) or refuses with a reason (e.g. the target is locked by someone else). `judged` is
   * the verdict judged again, null for a policy what-if.
   */
  beforeApprove?: (proposal: Proposal, judged: Judged | null) => Promise<string | null>;
  /**
   * The verdict judged again, held by the repair locks as the gate's was (target_locked): a
   * verdict a lock held at needs_human is not "now eligible" while that lock still holds.
   */
  holdByLocks?: (verdict: Verdict, proposal: VerdictProposal) => Promise<Verdict>;
  /**
   * Runs when a newer proposal for the same target and bundle is found, before the state says
   * superseded: records that (a receipt) and ends what an earlier approval took (a repair lock).
   */
  beforeSuperseded?: (proposal: Proposal, by: Proposal) => Promise<void>;
}

/** A verdict proposal's evidence judged again at approval. */
export interface Judged {
  verdict: Verdict;
  input: EvaluationInput;
}

export type ApproveOutcome =
  | { kind: "posted"; proposal: Proposal; alreadyPosted: boolean }
  | { kind: "refused"; reason: string };

/** The history's note on a proposal found on Forgejo rather than posted now. */
const FOUND_POSTED = "found already posted; not posted again";

/**
 * The only write path. First look on Forgejo: an approval that stopped after posting is finished
 * by recording what is there. Otherwise judge the stored evidence again under the current policy
 * and clock; if the verdict or a digest changed, or a newer proposal replaced this one, refuse and
 * say why. Then record the approval, post the comment (or status) exactly as proposed, and record
 * that it was posted. A claim makes two approvals at once post exactly one comment; the marker
 * makes a retry after a crash post none.
 */
export async function approveProposal(id: string, deps: ApproveDeps): Promise<ApproveOutcome> {
  const at = formatIsoTime(deps.now);
  const claim = await deps.store.claim(id, deps.actor, at);
  if (!claim.ok) return refused(`proposal \`${id}\` is being handled right now${describeClaimHolder(claim.holder)}; try again when it is done`);
  try {
    let proposal = await deps.store.require(id);
    if (proposal.state !== "pending" && proposal.state !== "approved") {
      return refused(`proposal \`${id}\` is ${proposal.state}${proposal.superseded_by ? ` (by ${proposal.superseded_by})` : ""}; only a pending proposal can be approved`);
    }
    // Before anything is recorded: Forgejo down, or a token it will not read with, fails here and
    // leaves no approval behind. (One that may read but not write fails at the post, after it.)
    const found = await findOnForgejo(proposal, deps.writer);
    // Approved and on Forgejo: posted by an approval that stopped before recording it. That is a
    // fact, whatever judging again would say now.
    if (found !== null && proposal.state === "approved") return await recordPosted(proposal, found, FOUND_POSTED, deps, at);
    const newer = await deps.store.supersedingProposal(proposal);
    if (newer !== null) {
      await deps.beforeSuperseded?.(proposal, newer);
      await deps.store.transitionHeld(id, ["pending", "approved"], "superseded", deps.actor, at, `superseded by ${newer.id}`, { superseded_by: newer.id });
      return refused(`proposal \`${id}\` is superseded by \`${newer.id}\`, a newer proposal for the same target and bundle. ${nothingPosted(found)}; review \`${newer.id}\` instead`);
    }
    const { changes, judged } = isWhatIf(proposal) ? await recheckWhatIf(proposal, deps.store.dataDir, deps.policy) : await recheckVerdict(proposal, deps);
    if (changes.length > 0) {
      const next = isWhatIf(proposal) ? "push the policy again for a new what-if" : "ask for a new gate check";
      return refused(`proposal \`${id}\` no longer holds: ${changes.join("; ")}. ${nothingPosted(found)}; ${next} (or reject this proposal)`);
    }
    const refusal = await deps.beforeApprove?.(proposal, judged);
    if (refusal) return refused(refusal);
    if (proposal.state === "pending") {
      await deps.store.transitionHeld(id, ["pending"], "approved", deps.actor, at);
      proposal = await deps.store.require(id);
    }
    return await recordPosted(proposal, found ?? (await post(proposal, deps.writer)), found !== null ? FOUND_POSTED : undefined, deps, at);
  } finally {
    await claim.release();
  }
}

function refused(reason: string): ApproveOutcome {
  return { kind: "refused", reason };
}

/** "Nothing was posted" is said only when the look-up found nothing there. */
function nothingPosted(found: OnForgejo | null): string {
  if (found === null) return "Nothing was posted";
  return `It is on Forgejo already${found.url !== undefined ? ` (${found.url})` : ""}, from an approval not recorded here; nothing was posted again`;
}

/**
 * Records an approved proposal as posted: the receipt (`beforePosted`), then the state. `found`:
 * the history's note when it was found on Forgejo rather than posted now (approve, or reject).
 */
export async function recordPosted(proposal: Proposal, posted: OnForgejo, found: string | undefined, deps: Pick<ApproveDeps, "store" | "actor" | "beforePosted">, at: string): Promise<ApproveOutcome> {
  const record = { at, by: deps.actor, ...(posted.commentId !== undefined ? { comment_id: posted.commentId } : {}), ...(posted.url !== undefined ? { url: posted.url } : {}) };
  await deps.beforePosted?.(proposal, record);
  await deps.store.transitionHeld(proposal.id, ["approved"], "posted", deps.actor, at, found, { posted: record });
  return { kind: "posted", proposal: await deps.store.require(proposal.id), alreadyPosted: found !== undefined };
}

/** Posts exactly what was proposed; only called once the look-up found nothing. */
async function post(proposal: Proposal, writer: ForgejoWriter): Promise<OnForgejo> {
  const { target, post: body } = proposal;
  if (target.kind === "commit" && body.kind === "status") {
    await writer.postStatus(target.repo, target.sha, { state: body.state, context: body.context || STATUS_CONTEXT, description: body.description });
    return {};
  }
  if (target.kind !== "commit" && body.kind === "comment") {
    const comment = await writer.postComment(target.repo, target.number, body.body);
    return { commentId: comment.id, ...(comment.url !== undefined ? { url: comment.url } : {}) };
  }
  throw new Error(`proposal ${proposal.id} holds a ${body.kind} for a ${target.kind}`);
}

/**
 * The stored evidence judged again under the current policy and clock, and, when that differs,
 * under the repair locks held now too. It holds when either matches: a lock that explains the
 * difference still holds it, and a lock taken since is left to `beforeApprove`, which refuses
 * naming its holder (a new gate check would not help).
 */
async function recheckVerdict(proposal: VerdictProposal, deps: ApproveDeps): Promise<{ changes: string[]; judged: Judged }> {
  const input = snapshotToInput(await deps.evidence.load(proposal.evidence_ref));
  const verdict = evaluate(input, deps.policy, deps.now);
  const changes = describeChanges(proposal, verdict);
  if (changes.length === 0 || deps.holdByLocks === undefined) return { changes, judged: { verdict, input } };
  const held = await deps.holdByLocks(verdict, proposal);
  return { changes: describeChanges(proposal, held), judged: { verdict: held, input } };
}

/**
 * The candidate policy replayed again over the receipts it was replayed over first, against the
 * policy running now. A what-if speaks of the past, so it holds unless kept evidence went missing,
 * the engine changed, or the running policy it was compared with changed.
 */
async function recheckWhatIf(proposal: WhatIfProposal, dataDir: string, running: Policy): Promise<{ changes: string[]; judged: null }> {
  const w = proposal.what_if;
  // An invalid (or unreadable) candidate was never replayed: what it says does not depend on the
  // data folder. That it is null, and the post, are checked against the what-if's receipt (beforeApprove).
  if (w.policy_digest === null) return { changes: [], judged: null };
  // Its replay cannot be repeated as it was: this release also diffs the candidate with the running policy.
  if (w.looser_settings === undefined) return { changes: ["it was written by an older release, before a what-if compared the candidate with the running policy, and its receipt does not pin what it would post"], judged: null };
  const again = await runWhatIf(dataDir, { path: w.path, ref: w.ref, bytes: Buffer.from(w.policy_toml, "utf8") }, w.through_seq, running);
  if (again.whatIf.result_digest === w.result_digest) return { changes: [], judged: null };
  const now = again.whatIf;
  return {
    changes: [
      `replaying the policy again, against the running policy \`${running.name}\` (${running.digest}), gives another result (${now.loosened} looser, ${now.tightened} stricter, ${now.not_replayed} not replayed; it was ${w.loosened}, ${w.tightened}, ${w.not_replayed}); if the running policy changed since, the what-if compared with the old one`,
    ],
    judged: null,
  };
}

/** What differs between the proposal as reviewed and the verdict now, in words. */
export function describeChanges(proposal: VerdictProposal, now: Verdict): string[] {
  const changes: string[] = [];
  if (now.verdict !== proposal.verdict.verdict) {
    const cause = now.reasons.find((r) => r.severity === "block" && !proposal.verdict.reasons.some((old) => old.code === r.code));
    changes.push(`the verdict is now \`${now.verdict}\`, not \`${proposal.verdict.verdict}\`${cause ? ` (${cause.code}: ${cause.message})` : ""}`);
  }
  if (now.bundle.digest !== proposal.bundle_digest) changes.push(`the bundle digest is now ${now.bundle.digest ?? "unreadable"}, not ${proposal.bundle_digest ?? "unreadable"}`);
  if (now.policy.digest !== proposal.policy_digest) changes.push(`the policy changed (${proposal.policy_digest} → ${now.policy.digest})`);
  return changes;
}

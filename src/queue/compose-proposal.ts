import { createHash } from "node:crypto";
import { statusContextFor } from "../forgejo/push-origin.js";
import { UNSAFE_CHARACTERS } from "../markdown/unsafe-characters.js";
import { renderMarkdown } from "../verdict/render/markdown.js";
import type { Verdict, VerdictName } from "../verdict/verdict-types.js";
import type { CommitStatusState, Proposal, ProposedPost, VerdictProposal } from "./proposal.js";
import { PROPOSAL_SCHEMA_ID } from "./proposal.js";
import { targetKey, type ProposalTarget } from "./proposal-target.js";

export interface ProposalFacts {
  verdict: Verdict;
  target: ProposalTarget;
  trigger: Proposal["trigger"];
  delivery: Proposal["delivery"];
  origin: string;
  evidenceRef: string;
  /** ISO time the proposal is made (the caller's clock). */
  now: string;
  actor: string;
}

/**
 * Deterministic: one delivery, target and evidence always give the same id, so a job re-run after
 * a crash writes the same proposal again instead of a second one.
 */
export function proposalId(delivery: string, target: ProposalTarget, evidenceRef: string): string {
  return `p_${createHash("sha256").update(`${delivery}\u0000${targetKey(target)}\u0000${evidenceRef}`).digest("hex").slice(0, 20)}`;
}

/** The line that lets `approve` find a comment it already posted, so a retry never posts twice. */
export function proposalMarker(id: string): string {
  return `<!-- patchwarden:proposal ${id} -->`;
}

const STATUS_STATE: Record<VerdictName, CommitStatusState> = { eligible_repair_dry_run: "success", needs_human: "pending", blocked: "failure" };

/** Pure: a verdict and where it belongs → the proposal as the operator will review it. */
export function composeProposal(facts: ProposalFacts, idSeed: string): VerdictProposal {
  const id = proposalId(idSeed, facts.target, facts.evidenceRef);
  return {
    schema: PROPOSAL_SCHEMA_ID,
    id,
    subject: "verdict",
    delivery: facts.delivery,
    trigger: facts.trigger,
    target: facts.target,
    origin: facts.origin,
    post: composePost(facts, id),
    verdict: facts.verdict,
    bundle_digest: facts.verdict.bundle.digest,
    policy_digest: facts.verdict.policy.digest,
    evidence_ref: facts.evidenceRef,
    created_at: facts.now,
    state: "pending",
    history: [{ state: "pending", at: facts.now, actor: facts.actor }],
  };
}

function composePost(facts: ProposalFacts, id: string): ProposedPost {
  const { verdict } = facts;
  if (facts.target.kind === "commit") {
    const lead = verdict.reasons.find((r) => r.severity !== "info") ?? verdict.reasons[0];
    const description = `${verdict.verdict}${lead ? `: ${lead.code}` : ""} (proposal ${id})`;
    return { kind: "status", state: STATUS_STATE[verdict.verdict], context: statusContextFor(facts.origin), description: description.slice(0, 140) };
  }
  return {
    kind: "comment",
    body: `${proposalMarker(id)}\n${renderMarkdown(verdict, { proposalId: id })}\n<sub>Patchwarden proposal \`${id}\` for evidence from ${escapeOrigin(facts.origin)}. Posted only after an operator approved it.</sub>\n`,
  };
}

/** A code span that no backtick, line break, control or bidirectional mark in a path can leave or reorder. */
function escapeOrigin(origin: string): string {
  return `\`${origin.replace(/`/g, " ").replace(UNSAFE_CHARACTERS, " ").replace(/@/g, "@\u200b")}\``;
}

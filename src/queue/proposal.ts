import * as z from "zod";
import type { Verdict } from "../verdict/verdict-types.js";
import type { ProposalTarget } from "./proposal-target.js";

export const PROPOSAL_SCHEMA_ID = "patchwarden.proposal.v1";
export const PROPOSAL_STATES = ["pending", "approved", "posted", "rejected", "superseded"] as const;
export type ProposalState = (typeof PROPOSAL_STATES)[number];

/** Every proposal id, as `proposalId` makes it: checked before an id names a file. */
export const PROPOSAL_ID_PATTERN = /^p_[0-9a-f]{20}$/;

export function isProposalId(id: string): boolean {
  return PROPOSAL_ID_PATTERN.test(id);
}

/** What would be posted: a comment on an issue or PR, or a commit status. */
export type ProposedPost =
  | { kind: "comment"; body: string }
  | { kind: "status"; state: CommitStatusState; context: string; description: string };

/** `pending` for needs_human: Forgejo v11 LTS has no `warning` state, and the gate is waiting for the operator. */
export type CommitStatusState = "success" | "pending" | "failure";

export interface ProposalEvent {
  state: ProposalState;
  at: string;
  actor: string;
  reason?: string;
}

interface ProposalBase {
  schema: typeof PROPOSAL_SCHEMA_ID;
  id: string;
  /** The webhook delivery that caused it, or null for the CLI and the hourly gate. */
  delivery: { id: string; event: string } | null;
  trigger: "label" | "command" | "push" | "pull_request" | "schedule";
  target: ProposalTarget;
  /** Where the evidence (or the policy change) came from, in words. */
  origin: string;
  post: ProposedPost;
  created_at: string;
  state: ProposalState;
  history: ProposalEvent[];
  superseded_by?: string;
  posted?: { at: string; by: string; comment_id?: number; url?: string };
}

/** A verdict on an evidence bundle, proposed for posting. Files written before `subject` existed are these. */
export interface VerdictProposal extends ProposalBase {
  subject?: "verdict";
  verdict: Verdict;
  bundle_digest: string | null;
  policy_digest: string;
  /** The evidence snapshot in the data folder that `approve` judges again. */
  evidence_ref: string;
}

/** What a policy change would do to past verdicts (`patchwarden replay` on a pushed policy), proposed for posting. */
export interface WhatIfProposal extends ProposalBase {
  subject: "policy_what_if";
  what_if: WhatIf;
}

export type Proposal = VerdictProposal | WhatIfProposal;

export interface WhatIf {
  /** The policy file as changed, and the commit it was read at. */
  path: string;
  ref: string;
  /** The candidate policy's text, kept so that `approve` can replay it again. */
  policy_toml: string;
  /** null when the candidate does not parse or validate; `problems` says why. */
  policy_digest: string | null;
  problems: string[];
  /** The receipts replayed: 1 … through_seq. */
  through_seq: number;
  replayed: number;
  loosened: number;
  tightened: number;
  not_replayed: number;
  /**
   * How many settings of the candidate are looser than the running policy (the report's
   * `policy_loosenings`), whether or not a past verdict shows them. Absent in files written before
   * it was counted: then unknown, never taken for none.
   */
  looser_settings?: number;
  /** sha256 of the replay's result, so `approve` can tell whether replaying again still gives it. */
  result_digest: string;
}

export function isWhatIf(proposal: Proposal): proposal is WhatIfProposal {
  return proposal.subject === "policy_what_if";
}

/** What changes besides the state when a proposal moves on. */
export type ProposalUpdate = Partial<Pick<ProposalBase, "superseded_by" | "posted">>;

/** The proposal's outcome in a few words, for lists: the verdict, or what the policy change would do. */
export function proposalOutcome(proposal: Proposal): string {
  if (!isWhatIf(proposal)) return proposal.verdict.verdict;
  const w = proposal.what_if;
  if (w.policy_digest === null) return "what-if: not replayed";
  return `what-if: ${w.loosened} looser, ${w.tightened} stricter; ${describeLooserSettings(w)}`;
}

/** The looser settings in words: a count, or, for a file written before they were counted, that they are unknown. */
export function describeLooserSettings(w: { looser_settings?: number | undefined }): string {
  if (w.looser_settings === undefined) return "settings not compared";
  return w.looser_settings === 1 ? "1 looser setting" : `${w.looser_settings} looser settings`;
}

/**
 * Whether the what-if may let through more than the running policy: a looser past verdict, a
 * looser setting, or settings never compared (a file written before they were).
 */
export function whatIfLoosens(w: WhatIf): boolean {
  return w.loosened > 0 || w.looser_settings === undefined || w.looser_settings > 0;
}

// Reading proposals back from disk: enough structure to refuse a hand-edited file that lost a field.
const baseFields = {
  schema: z.literal(PROPOSAL_SCHEMA_ID),
  id: z.string().regex(PROPOSAL_ID_PATTERN),
  target: z.looseObject({ repo: z.string(), kind: z.enum(["issue", "pull", "commit"]) }),
  post: z.looseObject({ kind: z.enum(["comment", "status"]) }),
  created_at: z.string(),
  state: z.enum(PROPOSAL_STATES),
  history: z.array(z.looseObject({ state: z.enum(PROPOSAL_STATES), at: z.string(), actor: z.string() })),
};
export const proposalFileSchema = z.union([
  z.looseObject({
    ...baseFields,
    subject: z.literal("verdict").optional(),
    verdict: z.looseObject({ verdict: z.enum(["eligible_repair_dry_run", "needs_human", "blocked"]) }),
    evidence_ref: z.string().regex(/^[0-9a-f]{64}$/),
  }),
  z.looseObject({
    ...baseFields,
    subject: z.literal("policy_what_if"),
    what_if: z.looseObject({
      path: z.string(),
      ref: z.string(),
      policy_toml: z.string(),
      policy_digest: z.string().nullable(),
      problems: z.array(z.string()),
      through_seq: z.int().nonnegative(),
      // The summaries (list, badge, queue show) read these.
      replayed: z.int().nonnegative(),
      loosened: z.int().nonnegative(),
      tightened: z.int().nonnegative(),
      not_replayed: z.int().nonnegative(),
      looser_settings: z.int().nonnegative().optional(),
      result_digest: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  }),
]);

import * as z from "zod";
import type { Verdict } from "../verdict/verdict-types.js";
import type { ProposalTarget } from "./proposal-target.js";

export const PROPOSAL_SCHEMA_ID = "patchwarden.proposal.v1";
export const PROPOSAL_STATES = ["pending", "approved", "posted", "rejected", "superseded"] as const;
export type ProposalState = (typeof PROPOSAL_STATES)[number];

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

export interface Proposal {
  schema: typeof PROPOSAL_SCHEMA_ID;
  id: string;
  /** The webhook delivery that caused it, or null for the CLI and the hourly gate. */
  delivery: { id: string; event: string } | null;
  trigger: "label" | "command" | "push" | "pull_request" | "schedule";
  target: ProposalTarget;
  /** Where the evidence came from, in words. */
  origin: string;
  post: ProposedPost;
  verdict: Verdict;
  bundle_digest: string | null;
  policy_digest: string;
  /** The evidence snapshot in the data folder that `approve` judges again. */
  evidence_ref: string;
  created_at: string;
  state: ProposalState;
  history: ProposalEvent[];
  superseded_by?: string;
  posted?: { at: string; by: string; comment_id?: number; url?: string };
}

// Reading proposals back from disk: enough structure to refuse a hand-edited file that lost a field.
export const proposalFileSchema = z.looseObject({
  schema: z.literal(PROPOSAL_SCHEMA_ID),
  id: z.string().regex(/^p_[0-9a-f]{20}$/),
  target: z.looseObject({ repo: z.string(), kind: z.enum(["issue", "pull", "commit"]) }),
  post: z.looseObject({ kind: z.enum(["comment", "status"]) }),
  verdict: z.looseObject({ verdict: z.enum(["eligible_repair_dry_run", "needs_human", "blocked"]) }),
  evidence_ref: z.string().regex(/^[0-9a-f]{64}$/),
  created_at: z.string(),
  state: z.enum(PROPOSAL_STATES),
  history: z.array(z.looseObject({ state: z.enum(PROPOSAL_STATES), at: z.string(), actor: z.string() })),
});

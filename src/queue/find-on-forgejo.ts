import type { ForgejoWriter } from "../forgejo/writer.js";
import type { Proposal } from "./proposal.js";

/**
 * The two reads that tell whether a proposal reached Forgejo. A ForgejoWriter (approve, with the
 * write token) and a ForgejoReader (reject, where read access suffices) both have them.
 */
export type PostLookup = Pick<ForgejoWriter, "findComment" | "findStatus">;

/** The proposal's comment (or status) on Forgejo. */
export interface OnForgejo {
  commentId?: number;
  url?: string;
}

/** The comment holding the proposal's text (its marker included), or the status naming its id: posted before. */
export async function findOnForgejo(proposal: Proposal, forgejo: PostLookup): Promise<OnForgejo | null> {
  const { target, post: body } = proposal;
  if (target.kind === "commit") {
    if (body.kind !== "status") throw new Error(`proposal ${proposal.id} targets a commit but holds a comment`);
    return (await forgejo.findStatus(target.repo, target.sha, body.context, proposal.id)) ? {} : null;
  }
  if (body.kind !== "comment") throw new Error(`proposal ${proposal.id} targets an issue but holds a status`);
  const existing = await forgejo.findComment(target.repo, target.number, body.body);
  return existing === null ? null : { commentId: existing.id, ...(existing.url !== undefined ? { url: existing.url } : {}) };
}

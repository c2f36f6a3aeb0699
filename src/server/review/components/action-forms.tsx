import type { Proposal } from "../../../queue/proposal.js";

export interface ActionTokens {
  approve: string;
  reject: string;
}

/**
 * Approve and reject, for a signed-in operator. The write token is typed for this one approval:
 * the server holds none, and this one is not stored, logged or shown again.
 */
export function ActionForms(props: { proposal: Proposal; tokens: ActionTokens; insecure: boolean }) {
  const { proposal } = props;
  const scope = proposal.target.kind === "commit" ? "write:repository" : "write:issue";
  return (
    <div class="actions">
      <form method="post" action={`/review/${proposal.id}/approve`}>
        <h3>Approve and post</h3>
        <p class="muted">
          The stored evidence is judged again under the current policy and clock first. If the verdict or a digest changed, nothing is posted. Otherwise the {proposal.post.kind === "comment" ? "comment" : "commit status"} below is posted
          exactly once.
        </p>
        {props.insecure ? <p class="notice warn">This connection is not encrypted: the token would cross the network in clear text. Use https (PATCHWARDEN_REVIEW_ORIGIN behind a proxy) or an SSH tunnel.</p> : null}
        <input type="hidden" name="csrf" value={props.tokens.approve} />
        <label for="write_token">Your Forgejo write token ({scope})</label>
        <input type="password" id="write_token" name="write_token" autocomplete="off" required maxlength={512} spellcheck={false} />
        <p class="muted">Used for this approval only; never stored or logged.</p>
        <button type="submit" class="approve">
          Approve and post
        </button>
      </form>
      <form method="post" action={`/review/${proposal.id}/reject`}>
        <h3>Reject</h3>
        <p class="muted">Nothing is posted; the reason is kept in the proposal's history and its receipt.</p>
        {proposal.state === "approved" ? (
          <p class="muted">It was approved, so Forgejo is asked first whether that approval posted it: if it did, it is recorded as posted and not rejected, and its repair lock stays.</p>
        ) : null}
        <input type="hidden" name="csrf" value={props.tokens.reject} />
        <label for="reason">Reason</label>
        <textarea id="reason" name="reason" required maxlength={2000} />
        <button type="submit" class="reject">
          Reject
        </button>
      </form>
    </div>
  );
}

import { tokenProblem } from "../../config/header-value.js";
import { DEFAULT_LIMITS } from "../../evidence/artifact-bytes.js";
import { ForgejoReader } from "../../forgejo/reader.js";
import { ForgejoWriter } from "../../forgejo/writer.js";
import { approveAsOperator, rejectAsOperator, type LookupSource } from "../../queue/operator-actions.js";
import { proposalOutcome } from "../../queue/proposal.js";
import { describeTarget } from "../../queue/proposal-target.js";
import type { Flash } from "./flash.js";
import type { ReviewDeps } from "./review-deps.js";

const MAX_TOKEN = 512;

/**
 * Why a typed write token cannot be sent to Forgejo, or null; the empty token is the form's own
 * question. Checked before the approval starts: a token that cannot go into a header would fail
 * only at the post, after the approval, its receipt and its lock were recorded. Never echoes the
 * token: it is a secret, and a pasted one may be someone else's.
 */
export function writeTokenProblem(writeToken: string): string | null {
  const token = writeToken.trim();
  if (token === "") return null;
  if (token.length > MAX_TOKEN) return `write_token: has ${token.length} characters, more than any Forgejo token (at most ${MAX_TOKEN}); paste the token alone`;
  const problem = tokenProblem(token);
  return problem === null ? null : `write_token: ${problem}`;
}

/**
 * Approval from the page: exactly `queue approve` (re-check, receipts, locks, one post), with a
 * write client built from the operator's token for this request alone. The token is never stored,
 * logged, or put into the message shown next.
 */
export async function approveFromPage(deps: ReviewDeps, id: string, actor: string, writeToken: string): Promise<Flash> {
  const token = writeToken.trim();
  if (token === "") return { kind: "refused", text: "Not posted: enter your Forgejo write token to approve (the server holds none)." };
  const problem = writeTokenProblem(token);
  if (problem !== null) return { kind: "refused", text: `Not posted: ${problem}.` };
  const writer = new ForgejoWriter({ baseUrl: deps.forgejoUrl, token, timeoutMs: 15_000, maxBytes: DEFAULT_LIMITS.maxBundleBytes, fetch: deps.fetch, retryDelayMs: 500 });
  const now = deps.now();
  try {
    const outcome = await approveAsOperator(id, { store: deps.proposals, evidence: deps.evidence, log: deps.receipts, locks: deps.locks, policy: await deps.policy(now), now, writer, actor });
    deps.log.info("review.approve", { proposal: id, actor, outcome: outcome.kind, ...(outcome.kind === "refused" ? { reason: outcome.reason } : { already_posted: outcome.alreadyPosted }) });
    if (outcome.kind === "refused") return { kind: "refused", text: `Not posted: ${outcome.reason}` };
    const where = outcome.proposal.posted?.url ?? describeTarget(outcome.proposal.target);
    return {
      kind: "done",
      text: outcome.alreadyPosted ? `${id} was already on ${where}; recorded as posted, nothing posted again.` : `Posted ${id} (${proposalOutcome(outcome.proposal)}) to ${where}.`,
    };
  } catch (error) {
    const message = redact(error instanceof Error ? error.message : String(error), token);
    deps.log.error("review.approve_failed", { proposal: id, actor, error: message });
    return { kind: "refused", text: `The approval stopped: ${message}. The state below is what was recorded; approving again never posts twice.` };
  }
}

/**
 * Rejection from the page: exactly `queue reject`. An approved proposal is looked for on Forgejo
 * first with the server's own read token (the page asks for none); without one it is not rejected.
 */
export async function rejectFromPage(deps: ReviewDeps, id: string, actor: string, reasonText: string): Promise<Flash> {
  const reason = reasonText.trim();
  if (reason === "") return { kind: "refused", text: "Not rejected: say why, so the history shows it." };
  if (reason.length > 2000) return { kind: "refused", text: `Not rejected: the reason has ${reason.length} characters; keep it under 2000.` };
  try {
    const outcome = await rejectAsOperator(id, { store: deps.proposals, log: deps.receipts, locks: deps.locks, now: deps.now(), actor, reason, forgejo: readerOf(deps) });
    deps.log.info("review.reject", { proposal: id, actor, outcome: outcome.ok ? "rejected" : "refused" });
    return outcome.ok ? { kind: "done", text: `Rejected ${id}; nothing was posted.` } : { kind: "refused", text: `Not rejected: ${outcome.reason}` };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    deps.log.error("review.reject_failed", { proposal: id, actor, error: message });
    return { kind: "refused", text: `The rejection stopped: ${message}.` };
  }
}

function readerOf(deps: ReviewDeps): LookupSource {
  return async () => {
    const token = deps.forgejoReadToken;
    if (token === undefined) return "the server has no PATCHWARDEN_FORGEJO_TOKEN to look with; reject it with `patchwarden queue reject` and a token instead";
    return new ForgejoReader({ baseUrl: deps.forgejoUrl, token, timeoutMs: 10_000, maxBytes: DEFAULT_LIMITS.maxBundleBytes, fetch: deps.fetch, retryDelayMs: 500 });
  };
}

/** No error message should hold the token, but a message is shown and logged: make sure. */
function redact(message: string, token: string): string {
  return token.length >= 4 ? message.split(token).join("[write token]") : message;
}

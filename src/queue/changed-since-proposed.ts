import { quote } from "../diagnostics/diagnostic.js";
import { canonicalJson } from "../integrity/canonical-json.js";
import { forgejoTarget, postDigest, whatIfDraft } from "../receipts/drafts.js";
import type { Receipt, ReceiptOf } from "../receipts/receipt-schema.js";
import { isWhatIf, type Proposal, type VerdictProposal, type WhatIfProposal } from "./proposal.js";
import { describeTarget } from "./proposal-target.js";

/**
 * The proposal file against the receipt that proposed it: the file lives in the data folder, the
 * receipt in the hash-chained (and perhaps signed) log, so a file edited to post elsewhere, or to
 * post other words, is refused. Null when the file is as proposed; otherwise why not, in words.
 */
export function changedSinceProposed(proposal: Proposal, receipts: readonly Receipt[]): string | null {
  return isWhatIf(proposal) ? whatIfChanged(proposal, receipts) : verdictChanged(proposal, receipts);
}

const EDITED = "the proposal file was changed after it was proposed";

/** Receipts written before `post_digest` was recorded pin the target only. */
function verdictChanged(proposal: VerdictProposal, receipts: readonly Receipt[]): string | null {
  const proposed = receipts.find((receipt): receipt is ReceiptOf<"proposal.proposed"> => receipt.kind === "proposal.proposed");
  if (proposed === undefined) return null;
  const edited = `${EDITED}, so reject it and ask for a new gate check`;
  const moved = movedTarget(proposal, proposed, edited);
  if (moved !== null) return moved;
  if (proposed.post_digest !== undefined && proposed.post_digest !== postDigest(proposal.post)) {
    return `not approved: what proposal \`${proposal.id}\` would post is not what its \`proposal.proposed\` receipt (receipt ${proposed.seq}) recorded (${proposed.post_digest}); ${edited}`;
  }
  // Approval judges the snapshot the file names: pointed at other, fresher evidence (with digests to
  // match), a stale proposal would be judged on bytes it was never made from.
  const swapped = pinnedVerdictFields(proposal, proposed).find(([, inFile, recorded]) => recorded !== undefined && inFile !== recorded);
  if (swapped !== undefined) {
    const [field, inFile, recorded] = swapped;
    return `not approved: the \`${field}\` of proposal \`${proposal.id}\` is ${quote(inFile, 200)}, but its \`proposal.proposed\` receipt (receipt ${proposed.seq}) records ${quote(recorded, 200)}; ${edited}`;
  }
  return null;
}

/** What the file says it judged, beside what the receipt recorded (undefined: an older receipt did not record it). */
function pinnedVerdictFields(proposal: VerdictProposal, proposed: ReceiptOf<"proposal.proposed">): Array<[string, unknown, unknown]> {
  return [
    ["evidence_ref", proposal.evidence_ref, proposed.evidence_ref],
    ["bundle_digest", proposal.bundle_digest, proposed.bundle_digest],
    ["verdict.bundle.digest", proposal.verdict.bundle.digest, proposed.bundle_digest],
    ["policy_digest", proposal.policy_digest, proposed.policy_digest],
    ["verdict.policy.digest", proposal.verdict.policy.digest, proposed.policy_digest],
    ["verdict.verdict", proposal.verdict.verdict, proposed.verdict],
    ["verdict.repair_class", proposal.verdict.repair_class, proposed.repair_class],
  ];
}

/** What a `what_if.proposed` receipt pins, in the order a difference is named: the summary first, the digests last. */
const WHAT_IF_PINNED = ["path", "policy_digest", "through_seq", "replayed", "loosened", "tightened", "not_replayed", "looser_settings", "result_digest", "what_if_digest", "post_digest"] as const;

/**
 * A what-if is posted only as its `what_if.proposed` receipt recorded it. Fail closed: a what-if
 * with no such receipt, or one written before the receipt pinned the post, is refused; pushing the
 * policy again makes a new one that is pinned.
 */
function whatIfChanged(proposal: WhatIfProposal, receipts: readonly Receipt[]): string | null {
  const proposed = receipts.find((receipt): receipt is ReceiptOf<"what_if.proposed"> => receipt.kind === "what_if.proposed");
  const again = "push the policy again for a new what-if, and reject this one";
  if (proposed === undefined) {
    return `not approved: what-if \`${proposal.id}\` has no \`what_if.proposed\` receipt, so nothing shows its proposal file is as proposed; ${again}`;
  }
  const edited = `${EDITED}; ${again}`;
  const moved = movedTarget(proposal, proposed, edited);
  if (moved !== null) return moved;
  if (proposed.post_digest === undefined || proposed.what_if_digest === undefined) {
    return `not approved: the \`what_if.proposed\` receipt of what-if \`${proposal.id}\` (receipt ${proposed.seq}) was written before receipts recorded what a what-if would post, so an edited proposal file cannot be told from this one; ${again}`;
  }
  const now = whatIfDraft(proposal, proposed.actor);
  const field = WHAT_IF_PINNED.find((key) => canonicalOrAbsent(now[key]) !== canonicalOrAbsent(proposed[key]));
  if (field === undefined) return null;
  return `not approved: the \`${field}\` of what-if \`${proposal.id}\` is ${quote(now[field], 200)}, but its \`what_if.proposed\` receipt (receipt ${proposed.seq}) records ${quote(proposed[field], 200)}; ${edited}`;
}

function movedTarget(proposal: Proposal, proposed: ReceiptOf<"proposal.proposed" | "what_if.proposed">, edited: string): string | null {
  if (canonicalJson(forgejoTarget(proposal.target)) === canonicalJson(proposed.target)) return null;
  return `not approved: proposal \`${proposal.id}\` would post to ${describeTarget(proposal.target)}, but its \`${proposed.kind}\` receipt (receipt ${proposed.seq}) records ${quote(JSON.stringify(proposed.target), 200)}; ${edited}`;
}

function canonicalOrAbsent(value: unknown): string {
  return value === undefined ? "absent" : canonicalJson(value);
}


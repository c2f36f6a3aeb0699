import { codeSpan } from "../markdown/inline.js";
import { headline, renderWhatIfMarkdown } from "../replay/render-replay.js";
import type { PolicyChange, WhatIfResult } from "../replay/what-if.js";
import { sha256Hex } from "../integrity/digest.js";
import { proposalId, proposalMarker } from "./compose-proposal.js";
import { PROPOSAL_SCHEMA_ID, whatIfLoosens, type CommitStatusState, type Proposal, type ProposedPost, type WhatIfProposal } from "./proposal.js";
import type { ProposalTarget } from "./proposal-target.js";

export const WHAT_IF_STATUS_CONTEXT = "patchwarden/policy-what-if";

export interface WhatIfFacts {
  result: WhatIfResult;
  target: ProposalTarget;
  trigger: Proposal["trigger"];
  delivery: Proposal["delivery"];
  /** ISO time the proposal is made (the caller's clock). */
  now: string;
  actor: string;
}

/**
 * A what-if's id, from what the delivery brought (the file and its bytes), not from the replay's
 * result: a job run again after a crash replays a longer log, and must still find the proposal
 * and receipt it made before.
 */
export function whatIfProposalId(idSeed: string, target: ProposalTarget, change: PolicyChange): string {
  return proposalId(idSeed, target, `what-if\u0000${change.path}\u0000${change.ref}\u0000${sha256Hex(change.bytes)}\u0000${change.unreadable ?? ""}`);
}

/**
 * Pure: a policy change's what-if → the proposal the operator reviews. On a pull request it is a
 * comment with the table; on a pushed commit, a commit status: failure for a policy that could not
 * be replayed (invalid, or not read); pending when the change is laxer than the running policy in
 * any setting, loosens a past verdict, or could not be replayed in full (the operator looks);
 * success only when none of these holds.
 */
export function composeWhatIfProposal(facts: WhatIfFacts, id: string): WhatIfProposal {
  const { whatIf } = facts.result;
  return {
    schema: PROPOSAL_SCHEMA_ID,
    id,
    subject: "policy_what_if",
    delivery: facts.delivery,
    trigger: facts.trigger,
    target: facts.target,
    origin: `${facts.target.repo}@${whatIf.ref.slice(0, 12)}:${whatIf.path}`,
    post: composePost(facts, id),
    what_if: whatIf,
    created_at: facts.now,
    state: "pending",
    history: [{ state: "pending", at: facts.now, actor: facts.actor }],
  };
}

function composePost(facts: WhatIfFacts, id: string): ProposedPost {
  const { whatIf, report } = facts.result;
  if (facts.target.kind === "commit") {
    const state: CommitStatusState = report === null ? "failure" : whatIfLoosens(whatIf) || whatIf.not_replayed > 0 ? "pending" : "success";
    const summary = report === null ? `not replayed: ${whatIf.problems[0] ?? "?"}` : headline(report);
    const suffix = ` (proposal ${id})`;
    return { kind: "status", state, context: WHAT_IF_STATUS_CONTEXT, description: `${summary.slice(0, 140 - suffix.length)}${suffix}` };
  }
  const body =
    report === null
      ? [
          `### 🔴 Patchwarden policy what-if: ${codeSpan(whatIf.path)} was not replayed`,
          "",
          `At ${codeSpan(whatIf.ref)}; nothing was replayed. Fix these, then push again:`,
          "",
          ...whatIf.problems.map((problem) => `- ${codeSpan(problem)}`),
          "",
        ].join("\n")
      : renderWhatIfMarkdown(report, { path: whatIf.path, ref: whatIf.ref });
  return { kind: "comment", body: `${proposalMarker(id)}\n${body}\n<sub>Patchwarden proposal \`${id}\`. Posted only after an operator approved it.</sub>\n` };
}

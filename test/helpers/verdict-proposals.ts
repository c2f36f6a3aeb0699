import { isWhatIf, type Proposal, type VerdictProposal } from "../../src/queue/proposal.js";
import type { ProposalStore } from "../../src/queue/proposal-store.js";

/** The queue's proposals where a test expects only verdicts: a policy what-if among them fails the test. */
export async function verdictProposals(store: ProposalStore): Promise<VerdictProposal[]> {
  return (await store.list()).map(asVerdictProposal);
}

export function asVerdictProposal(proposal: Proposal | null | undefined): VerdictProposal {
  if (proposal === null || proposal === undefined) throw new Error("expected a proposal, found none");
  if (isWhatIf(proposal)) throw new Error(`${proposal.id} is a policy what-if, not a verdict`);
  return proposal;
}

import type { OutputMode } from "../config/server-config.js";
import type { Policy } from "../policy/policy.js";
import { runWhatIf, type PolicyChange } from "../replay/what-if.js";
import { formatIsoTime } from "../time/iso-time.js";
import { composeWhatIfProposal, whatIfProposalId } from "./compose-what-if.js";
import { isWhatIf, type WhatIfProposal } from "./proposal.js";
import type { ProposalStore, Superseding } from "./proposal-store.js";
import type { ProposalTarget } from "./proposal-target.js";
import type { ProposalSource } from "./propose-verdict.js";
import { safeJson } from "../observability/safe-json.js";

export interface WhatIfDeps {
  /** The data folder whose receipts and kept evidence are replayed. */
  dataDir: string;
  /** The policy in force, which the candidate is compared with (a setting it loosens shows even when no past verdict does). */
  running: Policy;
  proposals: ProposalStore;
  /** epoch ms */
  now: number;
  actor: string;
  outputs: ReadonlySet<OutputMode>;
  printLine: (line: string) => void;
  /** Records the what-if before it is queued (trust layer: a `what_if.proposed` receipt). */
  record?: (proposal: WhatIfProposal) => Promise<void>;
  onSuperseded?: (superseded: Superseding, proposal: WhatIfProposal) => Promise<void>;
  /** For a job run again after a crash: the `through_seq` its receipt recorded, if it got that far. */
  recordedThroughSeq?: (proposalId: string) => Promise<number | null>;
  /** The server stopping: ends a wait for an older proposal's claim (see ProposalStore.propose). */
  signal?: AbortSignal;
}

/**
 * Replay every past verdict under a changed policy and propose the result: queue and/or stdout.
 * Never posts. Run again after a crash, it finds what it made before: a queued proposal is
 * returned as it is, and a recorded but unqueued one is replayed exactly as far as its receipt says.
 */
export async function proposeWhatIf(change: PolicyChange, target: ProposalTarget, source: ProposalSource, deps: WhatIfDeps): Promise<WhatIfProposal> {
  const id = whatIfProposalId(source.idSeed, target, change);
  const queued = deps.outputs.has("queue") ? await deps.proposals.get(id) : null;
  if (queued !== null && isWhatIf(queued)) {
    if (deps.outputs.has("stdout")) deps.printLine(safeJson(queued));
    return queued;
  }
  const upTo = (await deps.recordedThroughSeq?.(id)) ?? null;
  const result = await runWhatIf(deps.dataDir, change, upTo, deps.running);
  const proposal = composeWhatIfProposal({ result, target, trigger: source.trigger, delivery: source.delivery, now: formatIsoTime(deps.now), actor: deps.actor }, id);
  if (deps.outputs.has("queue")) {
    await deps.record?.(proposal);
    const { superseded } = await deps.proposals.propose(proposal, deps.actor, proposal.created_at, deps.signal === undefined ? {} : { signal: deps.signal });
    if (superseded !== null) await deps.onSuperseded?.(superseded, proposal);
  }
  if (deps.outputs.has("stdout")) deps.printLine(safeJson(proposal));
  return proposal;
}

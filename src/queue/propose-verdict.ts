import type { OutputMode } from "../config/server-config.js";
import { snapshotToInput, type EvidenceSnapshot } from "../evidence/snapshot.js";
import type { Policy } from "../policy/policy.js";
import { formatIsoTime } from "../time/iso-time.js";
import { evaluate } from "../verdict/evaluate.js";
import type { Verdict } from "../verdict/verdict-types.js";
import { composeProposal } from "./compose-proposal.js";
import type { EvidenceStore } from "./evidence-store.js";
import type { Proposal, VerdictProposal } from "./proposal.js";
import type { ProposalStore, Superseding } from "./proposal-store.js";
import type { ProposalTarget } from "./proposal-target.js";

export interface ProposeDeps {
  evidence: EvidenceStore;
  proposals: ProposalStore;
  policy: Policy;
  /** epoch ms */
  now: number;
  actor: string;
  outputs: ReadonlySet<OutputMode>;
  /** stdout mode: each proposal as one JSON line. */
  printLine: (line: string) => void;
  /** Adjusts a fresh verdict with state outside the engine (repair locks); never improves it. */
  adjustVerdict?: (verdict: Verdict) => Promise<Verdict>;
  /** Each judged bundle and how long judging took (metrics). */
  onEvaluated?: (verdict: Verdict, seconds: number) => void;
  /**
   * Records the verdict and proposal before the proposal is queued (trust layer: receipts), so no
   * queued proposal lacks its record. `queued` is false in stdout-only mode.
   */
  record?: (proposal: VerdictProposal, queued: boolean) => Promise<void>;
  /** After a newer proposal superseded an older pending one. */
  onSuperseded?: (superseded: Superseding, proposal: Proposal) => Promise<void>;
  /** The server stopping: ends a wait for an older proposal's claim (see ProposalStore.propose). */
  signal?: AbortSignal;
}

export interface ProposalSource {
  trigger: Proposal["trigger"];
  delivery: Proposal["delivery"];
  /** What makes the proposal id unique: the delivery id, or a run id for the CLI and the hourly gate. */
  idSeed: string;
}

/** Judge one snapshot, keep its bytes, and propose the verdict: queue and/or stdout. Never posts. */
export async function proposeVerdict(snapshot: EvidenceSnapshot, target: ProposalTarget, source: ProposalSource, deps: ProposeDeps): Promise<VerdictProposal> {
  const started = performance.now();
  let verdict = evaluate(snapshotToInput(snapshot), deps.policy, deps.now);
  deps.onEvaluated?.(verdict, (performance.now() - started) / 1000);
  if (deps.adjustVerdict) verdict = await deps.adjustVerdict(verdict);
  const evidenceRef = await deps.evidence.save(snapshot);
  const now = formatIsoTime(deps.now);
  const proposal = composeProposal({ verdict, target, trigger: source.trigger, delivery: source.delivery, origin: snapshot.origin, evidenceRef, now, actor: deps.actor }, source.idSeed);
  const queued = deps.outputs.has("queue");
  await deps.record?.(proposal, queued);
  if (queued) {
    const { superseded } = await deps.proposals.propose(proposal, deps.actor, now, deps.signal === undefined ? {} : { signal: deps.signal });
    if (superseded !== null) await deps.onSuperseded?.(superseded, proposal);
  }
  if (deps.outputs.has("stdout")) deps.printLine(`${JSON.stringify(proposal)}\n`);
  return proposal;
}

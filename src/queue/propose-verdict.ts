import type { OutputMode } from "../config/server-config.js";
import { snapshotToInput, type EvidenceSnapshot } from "../evidence/snapshot.js";
import type { Policy } from "../policy/policy.js";
import { formatIsoTime } from "../time/iso-time.js";
import { evaluate } from "../verdict/evaluate.js";
import type { Verdict } from "../verdict/verdict-types.js";
import { composeProposal } from "./compose-proposal.js";
import type { EvidenceStore } from "./evidence-store.js";
import type { Proposal } from "./proposal.js";
import type { ProposalStore } from "./proposal-store.js";
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
  /** After a proposal is queued (trust layer: receipts). */
  onProposed?: (proposal: Proposal, created: boolean, superseded: string | null) => Promise<void>;
}

export interface ProposalSource {
  trigger: Proposal["trigger"];
  delivery: Proposal["delivery"];
  /** What makes the proposal id unique: the delivery id, or a run id for the CLI and the hourly gate. */
  idSeed: string;
}

/** Judge one snapshot, keep its bytes, and propose the verdict: queue and/or stdout. Never posts. */
export async function proposeVerdict(snapshot: EvidenceSnapshot, target: ProposalTarget, source: ProposalSource, deps: ProposeDeps): Promise<Proposal> {
  const started = performance.now();
  let verdict = evaluate(snapshotToInput(snapshot), deps.policy, deps.now);
  deps.onEvaluated?.(verdict, (performance.now() - started) / 1000);
  if (deps.adjustVerdict) verdict = await deps.adjustVerdict(verdict);
  const evidenceRef = await deps.evidence.save(snapshot);
  const now = formatIsoTime(deps.now);
  const proposal = composeProposal({ verdict, target, trigger: source.trigger, delivery: source.delivery, origin: snapshot.origin, evidenceRef, now, actor: deps.actor }, source.idSeed);
  if (deps.outputs.has("queue")) {
    const { created, superseded } = await deps.proposals.propose(proposal, deps.actor, now);
    await deps.onProposed?.(proposal, created, superseded);
  }
  if (deps.outputs.has("stdout")) deps.printLine(`${JSON.stringify(proposal)}\n`);
  return proposal;
}

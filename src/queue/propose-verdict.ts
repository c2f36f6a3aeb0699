import type { OutputMode } from "../config/server-config.js";
import { snapshotToInput, type EvidenceSnapshot } from "../evidence/snapshot.js";
import type { Policy } from "../policy/policy.js";
import { postDigest } from "../receipts/drafts.js";
import { formatIsoTime } from "../time/iso-time.js";
import { evaluate } from "../verdict/evaluate.js";
import type { Verdict } from "../verdict/verdict-types.js";
import { composeProposal, proposalId } from "./compose-proposal.js";
import type { EvidenceStore } from "./evidence-store.js";
import type { Proposal, VerdictProposal } from "./proposal.js";
import type { ProposalStore, Superseding } from "./proposal-store.js";
import type { ProposalTarget } from "./proposal-target.js";
import { safeJson } from "../observability/safe-json.js";

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
  /** Adjusts a fresh verdict with state outside the engine (repair locks) as of `now` (epoch ms); never improves it. */
  adjustVerdict?: (verdict: Verdict, now: number) => Promise<Verdict>;
  /** Each judged bundle and how long judging took (metrics). */
  onEvaluated?: (verdict: Verdict, seconds: number) => void;
  /**
   * Records the verdict and proposal before the proposal is queued (trust layer: receipts), so no
   * queued proposal lacks its record. `queued` is false in stdout-only mode.
   */
  record?: (proposal: VerdictProposal, queued: boolean) => Promise<void>;
  /**
   * For a job run again after a stop or crash: what its first run recorded of this proposal, if
   * anything (trust layer: receipts). Null for a job run the first time.
   */
  recorded?: (proposalId: string) => Promise<RecordedProposal | null>;
  /** After a newer proposal superseded an older pending one. */
  onSuperseded?: (superseded: Superseding, proposal: Proposal) => Promise<void>;
  /** The server stopping: ends a wait for an older proposal's claim (see ProposalStore.propose). */
  signal?: AbortSignal;
}

/** What a job's earlier run recorded of its proposal before it stopped. */
export interface RecordedProposal {
  /** When its verdict was judged (epoch ms); null when the receipt's time cannot be read. */
  judgedAt: number | null;
  /** The post its `proposal.proposed` receipt pins, and that receipt's seq; null when none was recorded. */
  post: { digest: string; seq: number } | null;
}

export interface ProposalSource {
  trigger: Proposal["trigger"];
  delivery: Proposal["delivery"];
  /** What makes the proposal id unique: the delivery id, or a run id for the CLI and the hourly gate. */
  idSeed: string;
}

/**
 * Judge one snapshot, keep its bytes, and propose the verdict: queue and/or stdout. Never posts.
 * A job run again after its verdict was recorded is judged as of the time recorded, so the
 * proposal it queues is the one its receipts pin (its comment states evidence ages); approval
 * judges it again with its own clock all the same.
 */
export async function proposeVerdict(snapshot: EvidenceSnapshot, target: ProposalTarget, source: ProposalSource, deps: ProposeDeps): Promise<VerdictProposal> {
  const evidenceRef = await deps.evidence.save(snapshot);
  const recorded = (await deps.recorded?.(proposalId(source.idSeed, target, evidenceRef))) ?? null;
  const judgedAt = recorded?.judgedAt ?? deps.now;
  const verdict = await judge(snapshot, judgedAt, deps);
  const proposal = composeProposal({ verdict, target, trigger: source.trigger, delivery: source.delivery, origin: snapshot.origin, evidenceRef, now: formatIsoTime(judgedAt), actor: deps.actor }, source.idSeed);
  const queued = deps.outputs.has("queue");
  if (queued && recorded !== null) await requireAsRecorded(proposal, recorded, deps.proposals);
  await deps.record?.(proposal, queued);
  if (queued) {
    // Superseding happens now, whenever the proposal was first judged.
    const now = formatIsoTime(deps.now);
    const { superseded } = await deps.proposals.propose(proposal, deps.actor, now, deps.signal === undefined ? {} : { signal: deps.signal });
    if (superseded !== null) await deps.onSuperseded?.(superseded, proposal);
  }
  if (deps.outputs.has("stdout")) deps.printLine(safeJson(proposal));
  return proposal;
}

async function judge(snapshot: EvidenceSnapshot, now: number, deps: ProposeDeps): Promise<Verdict> {
  const started = performance.now();
  const verdict = evaluate(snapshotToInput(snapshot), deps.policy, now);
  deps.onEvaluated?.(verdict, (performance.now() - started) / 1000);
  return deps.adjustVerdict ? deps.adjustVerdict(verdict, now) : verdict;
}

/**
 * A proposal judged again must post what its receipt pins, or approval would refuse it as a file
 * edited by hand. It differs when the policy, the engine or a repair lock changed in between; then
 * nothing is queued. One queued before the stop is kept as it is (ProposalStore.propose).
 */
async function requireAsRecorded(proposal: VerdictProposal, recorded: RecordedProposal, proposals: ProposalStore): Promise<void> {
  if (recorded.post === null || recorded.post.digest === postDigest(proposal.post)) return;
  if ((await proposals.get(proposal.id)) !== null) return;
  throw new RecordedPostChangedError(
    `proposal \`${proposal.id}\`: judged again after a restart, it would post other words than its \`proposal.proposed\` receipt (receipt ${recorded.post.seq}) recorded (the policy, the engine or a repair lock changed since it was first judged), so it was not queued; ask for a new gate check`,
  );
}

/** Judging again cannot give back what was recorded: final, since no later start can either. */
export class RecordedPostChangedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RecordedPostChangedError";
  }
}

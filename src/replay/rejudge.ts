import { snapshotToInput, type EvidenceSnapshot } from "../evidence/snapshot.js";
import type { Policy } from "../policy/policy.js";
import { parseIsoTime } from "../time/iso-time.js";
import { evaluate } from "../verdict/evaluate.js";
import type { ReasonCode } from "../verdict/reason-codes.js";
import type { VerdictName } from "../verdict/verdict-types.js";
import type { PastVerdict } from "./past-verdicts.js";

/** How permissive a verdict is: a change to a higher rank loosens the gate. */
export const PERMISSIVENESS: Readonly<Record<VerdictName, number>> = { blocked: 0, needs_human: 1, eligible_repair_dry_run: 2 };

export type Direction = "loosened" | "tightened" | "unchanged";

export interface Rejudged {
  seq: number;
  recorded_at: string;
  evaluated_at: string;
  repair_class: string | null;
  proposal_id?: string;
  target?: PastVerdict["target"];
  before: VerdictName;
  after: VerdictName;
  direction: Direction;
  /** Reason codes the new verdict has and the recorded one had not, and the other way round. */
  reasons_added: string[];
  reasons_removed: string[];
  /** The recorded verdict was held by a repair lock; the same hold is applied again. */
  held_by_lock: boolean;
  /** The recorded verdict came from another engine version; part of a change may be the engine's. */
  engine_changed: boolean;
}

export type RejudgeOutcome = { ok: true; result: Rejudged } | { ok: false; seq: number; problem: string };

/**
 * Pure: a past verdict judged again on its kept evidence, as of its own evaluation time, under
 * `policy`. The clock of the past is used so that only the policy (and the engine) differ.
 *
 * A recorded `target_locked` hold came from lock state outside the engine; the lock is assumed to
 * hold again (the replay asks what the policy changes, not what the locks did).
 */
export function rejudge(past: PastVerdict, snapshot: EvidenceSnapshot, policy: Policy): RejudgeOutcome {
  const at = parseIsoTime(past.evaluated_at);
  if (at === null) return { ok: false, seq: past.seq, problem: `its evaluated_at \`${past.evaluated_at}\` is not a time` };
  const verdict = evaluate(snapshotToInput(snapshot), policy, at);
  if (verdict.bundle.digest !== past.bundle_digest) {
    return { ok: false, seq: past.seq, problem: `its kept evidence hashes to ${verdict.bundle.digest ?? "an unreadable bundle"}, not the recorded ${past.bundle_digest ?? "unreadable bundle"}` };
  }
  const heldByLock = past.reason_codes.includes("target_locked" satisfies ReasonCode);
  const after: VerdictName = heldByLock && verdict.verdict === "eligible_repair_dry_run" ? "needs_human" : verdict.verdict;
  const codes = new Set<string>(verdict.reasons.map((reason) => reason.code));
  if (heldByLock) codes.add("target_locked");
  const recorded = new Set(past.reason_codes);
  const delta = PERMISSIVENESS[after] - PERMISSIVENESS[past.verdict];
  const result: Rejudged = {
    seq: past.seq,
    recorded_at: past.time,
    evaluated_at: past.evaluated_at,
    repair_class: past.repair_class,
    before: past.verdict,
    after,
    direction: delta > 0 ? "loosened" : delta < 0 ? "tightened" : "unchanged",
    reasons_added: [...codes].filter((code) => !recorded.has(code)).sort(),
    reasons_removed: [...recorded].filter((code) => !codes.has(code)).sort(),
    held_by_lock: heldByLock,
    engine_changed: past.engine_version !== verdict.engine.version,
  };
  if (past.proposal_id !== undefined) result.proposal_id = past.proposal_id;
  if (past.target !== undefined) result.target = past.target;
  return { ok: true, result };
}

/** The changed verdicts, most permissive change first (blocked → eligible before needs_human → eligible), then oldest first. */
export function rankChanges(results: readonly Rejudged[]): Rejudged[] {
  const change = (r: Rejudged) => PERMISSIVENESS[r.after] - PERMISSIVENESS[r.before];
  return results.filter((r) => r.direction !== "unchanged").sort((a, b) => change(b) - change(a) || PERMISSIVENESS[b.after] - PERMISSIVENESS[a.after] || a.seq - b.seq);
}

import { snapshotToInput, type EvidenceSnapshot } from "../evidence/snapshot.js";
import type { Policy } from "../policy/policy.js";
import { REASON_CODES_TRUNCATED } from "../receipts/drafts.js";
import { parseIsoTime } from "../time/iso-time.js";
import { evaluate } from "../verdict/evaluate.js";
import { REASON_CODES, severityOf, type ReasonCode, type Severity } from "../verdict/reason-codes.js";
import type { VerdictName } from "../verdict/verdict-types.js";
import { describeCheck, liftedChecks, supersededBy } from "./lifted-checks.js";
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
  /** The recorded verdict. */
  before: VerdictName;
  /** The new verdict, held again by the recorded repair lock if there was one. */
  after: VerdictName;
  /**
   * Looser: the verdict is more permissive, or a check that held or blocked it no longer does
   * (see `loosened_checks`). Stricter: the verdict is less permissive and no check was dropped.
   */
  direction: Direction;
  /** Reason codes the new verdict has and the recorded one had not, and the other way round. */
  reasons_added: string[];
  reasons_removed: string[];
  /**
   * Set when the row is looser only because hold or block checks were dropped (the verdict itself
   * is the same or stricter, e.g. `mutation_requires_operator` gone from a verdict still blocked
   * for stale evidence): once the other reasons clear, the verdict would be more permissive. A
   * check the running policy makes and the candidate does not is named with where it applied
   * (`evidence_stale at bundle.evidence[1].generated_at`): one of two items of a kind may be lifted
   * while the other keeps the code.
   */
  loosened_checks?: string[];
  /** The recorded verdict was held by a repair lock; the same hold is applied again. */
  held_by_lock: boolean;
  /** Set when held by a lock: both verdicts with the lock taken out, which is what `direction` compares. */
  without_lock?: { before: VerdictName; after: VerdictName };
  /** The recorded verdict came from another engine version; part of a change may be the engine's. */
  engine_changed: boolean;
}

export type RejudgeOutcome = { ok: true; result: Rejudged } | { ok: false; seq: number; problem: string };

const TARGET_LOCKED: ReasonCode = "target_locked";

/**
 * Pure: a past verdict judged again on its kept evidence, as of its own evaluation time, under
 * `policy`. The clock of the past is used so that only the policy (and the engine) differ.
 *
 * A recorded `target_locked` hold came from lock state outside the engine; the lock is assumed to
 * hold again (the replay asks what the policy changes, not what the locks did). The direction
 * compares both verdicts with the lock taken out: held on both sides at needs_human, a candidate
 * that makes a mutating class eligible would otherwise show no change.
 *
 * A receipt keeps reason codes, not where each applied, so with `baseline` (the policy in force)
 * the evidence is judged under it too, and every hold or block it gives that `policy` does not is
 * a dropped check, even when another reason keeps the code (see lifted-checks.ts).
 */
export function rejudge(past: PastVerdict, snapshot: EvidenceSnapshot, policy: Policy, baseline: Policy | null): RejudgeOutcome {
  const at = parseIsoTime(past.evaluated_at);
  if (at === null) return { ok: false, seq: past.seq, problem: `its evaluated_at \`${past.evaluated_at}\` is not a time` };
  const input = snapshotToInput(snapshot);
  const verdict = evaluate(input, policy, at);
  if (verdict.bundle.digest !== past.bundle_digest) {
    return { ok: false, seq: past.seq, problem: `its kept evidence hashes to ${verdict.bundle.digest ?? "an unreadable bundle"}, not the recorded ${past.bundle_digest ?? "unreadable bundle"}` };
  }
  const heldByLock = past.reason_codes.includes(TARGET_LOCKED);
  const after: VerdictName = heldByLock && verdict.verdict === "eligible_repair_dry_run" ? "needs_human" : verdict.verdict;
  const codes = new Set<string>(verdict.reasons.map((reason) => reason.code));
  if (heldByLock) {
    // As applyTargetLocks records a held verdict: with the hold, and no longer eligible for a dry run.
    codes.add(TARGET_LOCKED);
    if (after !== verdict.verdict) codes.delete("dry_run_only" satisfies ReasonCode);
  }
  const recorded = new Set(past.reason_codes);
  const unlocked = { before: heldByLock ? verdictOfCodes(past.reason_codes.filter((code) => code !== TARGET_LOCKED)) : past.verdict, after: verdict.verdict };
  const delta = PERMISSIVENESS[unlocked.after] - PERMISSIVENESS[unlocked.before];
  const added = [...codes].filter((code) => !recorded.has(code)).sort();
  // Judged twice only when the policies differ: the same policy gives the same reasons.
  const lifted = baseline === null || baseline.digest === policy.digest ? [] : liftedChecks(evaluate(input, baseline, at).reasons, verdict.reasons);
  const liftedCodes = new Set<string>(lifted.map((reason) => reason.code));
  // Against the recorded codes too: the receipt may come from another policy than the one in force.
  const droppedCodes = [...recorded].filter((code) => !codes.has(code) && isCheck(code) && !supersededBy(code, added) && !liftedCodes.has(code));
  const droppedChecks = [...lifted.map(describeCheck), ...droppedCodes].sort();
  const result: Rejudged = {
    seq: past.seq,
    recorded_at: past.time,
    evaluated_at: past.evaluated_at,
    repair_class: past.repair_class,
    before: past.verdict,
    after,
    direction: delta > 0 || droppedChecks.length > 0 ? "loosened" : delta < 0 ? "tightened" : "unchanged",
    reasons_added: added,
    reasons_removed: [...recorded].filter((code) => !codes.has(code)).sort(),
    held_by_lock: heldByLock,
    engine_changed: past.engine_version !== verdict.engine.version,
  };
  if (delta <= 0 && droppedChecks.length > 0) result.loosened_checks = droppedChecks;
  if (heldByLock) result.without_lock = unlocked;
  if (past.proposal_id !== undefined) result.proposal_id = past.proposal_id;
  if (past.target !== undefined) result.target = past.target;
  return { ok: true, result };
}

/** The verdicts a row's direction compares: without the lock when one held it. */
function compared(r: Rejudged): { before: VerdictName; after: VerdictName } {
  return r.without_lock ?? { before: r.before, after: r.after };
}

/** Looser first; then the most permissive change first (blocked → eligible before needs_human → eligible), then oldest first. */
export function rankChanges(results: readonly Rejudged[]): Rejudged[] {
  const looser = (r: Rejudged) => (r.direction === "loosened" ? 1 : 0);
  const change = (r: Rejudged) => PERMISSIVENESS[compared(r).after] - PERMISSIVENESS[compared(r).before];
  return results
    .filter((r) => r.direction !== "unchanged")
    .sort((a, b) => looser(b) - looser(a) || change(b) - change(a) || PERMISSIVENESS[compared(b).after] - PERMISSIVENESS[compared(a).after] || a.seq - b.seq);
}

/**
 * A recorded code's severity. One this engine does not know (renamed since) counts as a hold:
 * the stricter reading of the recorded verdict, so a change from it is never under-reported.
 */
function severityOfRecorded(code: string): Severity {
  return Object.hasOwn(REASON_CODES, code) ? severityOf(code as ReasonCode) : "hold";
}

/** The verdict a set of recorded reason codes gives: the worst of their severities. */
function verdictOfCodes(codes: readonly string[]): VerdictName {
  const severities = new Set(codes.map(severityOfRecorded));
  return severities.has("block") ? "blocked" : severities.has("hold") ? "needs_human" : "eligible_repair_dry_run";
}

/** A reason that holds or blocks (not an explanation, nor the receipt's truncation mark). */
function isCheck(code: string): boolean {
  return code !== REASON_CODES_TRUNCATED && severityOfRecorded(code) !== "info";
}

import type { ReasonCode } from "../verdict/reason-codes.js";
import type { Reason } from "../verdict/verdict-types.js";

/**
 * Checks the engine skips once a stricter one fires, so their going is no loosening: an unknown
 * repair class is blocked before any of its own checks run, and a plan step that became a
 * hard-manual action is no longer judged against the allowed actions.
 */
const SUPERSEDED_BY: Readonly<Partial<Record<ReasonCode, readonly ReasonCode[]>>> = {
  repair_class_unknown: ["mutation_requires_operator", "hard_manual_class", "evidence_missing", "plan_step_not_allowed"],
  plan_step_hard_manual: ["plan_step_not_allowed"],
};

/** These supersede only the check at their own path: one step made hard-manual says nothing of another step's actions. */
const SAME_PATH_ONLY: ReadonlySet<string> = new Set<ReasonCode>(["plan_step_hard_manual"]);

function supersedes(stricter: string, code: string): boolean {
  return Object.hasOwn(SUPERSEDED_BY, stricter) && (SUPERSEDED_BY[stricter as ReasonCode] as readonly string[]).includes(code);
}

/**
 * By codes alone, as a receipt keeps them (no paths): whether one of `added` supersedes `code`.
 * Where the path matters, liftedChecks compares reasons instead.
 */
export function supersededBy(code: string, added: Iterable<string>): boolean {
  for (const other of added) if (supersedes(other, code)) return true;
  return false;
}

/**
 * Pure: the hold and block reasons of `before` (one evidence judged under the running policy)
 * that `after` (the same evidence, same time, under the candidate) no longer gives. Compared reason by reason, not by code: two stale items give two
 * `evidence_stale`, and lifting one of them still leaves the code in the verdict.
 *
 * A reason is kept when `after` has the same code at the same path; failing that, the same code
 * about the same evidence item (a drift plan's `drift_high_risk` names its first high-risk file,
 * which moves when another file turns high risk; an item fresh by its own time may still be stale
 * by the manifest inside it). A check a stricter one now supersedes is not counted (a plan step's
 * only by a hold at the same step).
 */
export function liftedChecks(before: readonly Reason[], after: readonly Reason[]): Reason[] {
  const unmatched = after.filter((reason) => reason.severity !== "info");
  const dropped: Reason[] = [];
  for (const reason of before) {
    if (reason.severity === "info") continue;
    if (!take(unmatched, (other) => other.code === reason.code && other.path === reason.path)) dropped.push(reason);
  }
  // The second pass runs on what the exact one left, so a same-path match is never spent on a neighbour.
  const lifted = dropped.filter((reason) => reason.evidence === undefined || !take(unmatched, (other) => other.code === reason.code && other.evidence?.index === reason.evidence!.index));
  return lifted.filter((reason) => !unmatched.some((other) => supersedes(other.code, reason.code) && (!SAME_PATH_ONLY.has(other.code) || other.path === reason.path)));
}

/** A lifted check as a replay row lists it: `evidence_stale at bundle.evidence[1].generated_at`. */
export function describeCheck(reason: Reason): string {
  return reason.path === undefined ? reason.code : `${reason.code} at ${reason.path}`;
}

/** Removes the first entry `matches` accepts; whether there was one. */
function take(list: Reason[], matches: (reason: Reason) => boolean): boolean {
  const i = list.findIndex(matches);
  if (i < 0) return false;
  list.splice(i, 1);
  return true;
}

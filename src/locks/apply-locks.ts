import { quote } from "../diagnostics/diagnostic.js";
import { reason } from "../verdict/rule-context.js";
import type { Reason, Verdict, VerdictName } from "../verdict/verdict-types.js";
import { leasesOn, type Lease } from "./lease-state.js";
import { describeRepairTarget, normalizeRepairTarget } from "./repair-target.js";

const SEVERITY_ORDER = { block: 0, hold: 1, info: 2 } as const;

/**
 * A verdict as the repair locks allow it. When the candidate's host or service is under an unexpired
 * lease, the verdict gains a `target_locked` hold naming the holder, and is at best `needs_human`.
 * It is never improved. Pure: a function of (verdict, leases, now) like the engine, so the server
 * and the CLI read the leases at their edge and pass them in.
 *
 * @param now epoch milliseconds
 */
export function applyTargetLocks(verdict: Verdict, leases: readonly Lease[], now: number): Verdict {
  // No target (or a blank one) says nothing of what the repair touches: it meets every lease.
  const target = normalizeRepairTarget(verdict.target) ?? {};
  const { active } = leasesOn(leases, target, now);
  if (active.length === 0) return verdict;
  const held: Reason[] = active.map((lease) => reason("target_locked", describeLease(lease), { path: "bundle.candidate.target" }));
  const downgraded = verdict.verdict === "eligible_repair_dry_run";
  // "Eligible for a dry run" no longer holds once the verdict is needs_human.
  const kept = downgraded ? verdict.reasons.filter((r) => r.code !== "dry_run_only") : verdict.reasons;
  const reasons = [...kept, ...held].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  const decided: VerdictName = downgraded ? "needs_human" : verdict.verdict;
  return { ...verdict, verdict: decided, reasons };
}

function describeLease(lease: Lease): string {
  const proposal = lease.proposal_id === undefined ? "" : `, proposal ${quote(lease.proposal_id)}`;
  return (
    `${describeRepairTarget(lease.repair_target)} is locked by ${quote(lease.owner)} until ${lease.expires_at} (lock ${quote(lease.lock_id)}${proposal}: ${quote(lease.reason)}); ` +
    `a new repair waits until it expires, or an operator releases it with \`patchwarden lock release ${lease.lock_id} --reason TEXT\``
  );
}

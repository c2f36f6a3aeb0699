import type { LockTarget, Receipt, ReceiptOf, RepairTarget } from "../receipts/receipt-schema.js";
import { parseIsoTime } from "../time/iso-time.js";
import { targetsOverlap } from "./repair-target.js";

/**
 * A repair lock is the fold of its receipts: `lock.acquired` creates a lease, `lock.released` and
 * `lock.expired` end it. Nothing else holds lock state, so there is no lock without its receipt and
 * no receipt without its effect. Pure: no clock, no files; `now` is passed in.
 */
export interface Lease {
  lock_id: string;
  /** What it holds: a host and/or service, or every one (`every: true`, a repair that named no target). */
  repair_target: LockTarget;
  /** The operator who approved the repair. */
  owner: string;
  reason: string;
  proposal_id?: string;
  acquired_at: string;
  acquired_seq: number;
  expires_at: string;
}

export function applyLockReceipt(leases: Map<string, Lease>, receipt: Receipt): void {
  switch (receipt.kind) {
    case "lock.acquired": {
      const lease = leaseOf(receipt);
      leases.set(lease.lock_id, lease);
      return;
    }
    case "lock.released":
    case "lock.expired":
      leases.delete(receipt.lock_id);
      return;
    default:
      return;
  }
}

/** A lease counts until its expiry; at `expires_at` it is over. An unreadable expiry counts as never expiring. */
export function isExpired(lease: Lease, now: number): boolean {
  const expires = parseIsoTime(lease.expires_at);
  return expires !== null && expires <= now;
}

export function activeLeases(leases: Iterable<Lease>, now: number): Lease[] {
  return sortLeases([...leases].filter((lease) => !isExpired(lease, now)));
}

/** Leases on `target`: the ones that still hold it, and the expired ones nobody has recorded as expired yet. */
export function leasesOn(leases: Iterable<Lease>, target: RepairTarget, now: number): { active: Lease[]; expired: Lease[] } {
  const active: Lease[] = [];
  const expired: Lease[] = [];
  for (const lease of leases) {
    if (!targetsOverlap(lease.repair_target, target)) continue;
    (isExpired(lease, now) ? expired : active).push(lease);
  }
  return { active: sortLeases(active), expired: sortLeases(expired) };
}

export function sortLeases(leases: Lease[]): Lease[] {
  return leases.sort((a, b) => a.acquired_seq - b.acquired_seq);
}

/** The lease a `lock.acquired` receipt grants. */
export function leaseOf(receipt: ReceiptOf<"lock.acquired">): Lease {
  const lease: Lease = {
    lock_id: receipt.lock_id,
    repair_target: receipt.repair_target,
    owner: receipt.owner,
    reason: receipt.reason,
    acquired_at: receipt.time,
    acquired_seq: receipt.seq,
    expires_at: receipt.expires_at,
  };
  if (receipt.proposal_id !== undefined) lease.proposal_id = receipt.proposal_id;
  return lease;
}

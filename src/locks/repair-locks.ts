import { randomBytes } from "node:crypto";
import { quote } from "../diagnostics/diagnostic.js";
import type { ReceiptLog, ReceiptTransaction } from "../receipts/receipt-log.js";
import type { DraftOf, Receipt, ReceiptDraft, ReceiptOf } from "../receipts/receipt-schema.js";
import { formatIsoTime } from "../time/iso-time.js";
import { activeLeases, isExpired, leaseOf, leasesOn, sortLeases, type Lease } from "./lease-state.js";
import { foldAppended, readLeaseState, type LeaseState } from "./lease-view.js";
import { LockNotFoundError, LockRequestError, TargetLockedError } from "./lock-errors.js";
import { EVERY_TARGET, normalizeRepairTarget } from "./repair-target.js";

/** The actor of receipts Patchwarden writes by itself (expiry, a release by postcheck). */
export const SYSTEM_ACTOR = "patchwarden";
export const DEFAULT_LEASE_MS = 2 * 60 * 60 * 1000;
export const MAX_LEASE_MS = 7 * 24 * 60 * 60 * 1000;

export interface AcquireRequest {
  /**
   * The candidate's host and/or service (from the verdict's `target`); `"every"` for a repair whose
   * candidate names none: it may touch anything, so its lease holds every target (EVERY_TARGET).
   */
  target: { host?: string | undefined; service?: string | undefined } | "every";
  /** The operator approving the repair: the lease's owner and the receipt's actor. */
  owner: string;
  reason: string;
  proposalId?: string;
  /** epoch ms: the edge's clock */
  now: number;
  /** How long the lease lasts without a postcheck (default 2 h, at most 7 days). */
  ttlMs?: number;
  /**
   * Receipts to append in the same write, after `lock.acquired` (e.g. `proposal.approved`). A crash
   * keeps a prefix: a lock without its approval (it expires), never an approval without its lock.
   */
  with?: readonly ReceiptDraft[];
}

export interface AcquireResult {
  lease: Lease;
  /** `lock.expired` for leases it replaced, `lock.acquired`, then `with`. */
  receipts: Receipt[];
  /** The proposal already held this lock (a retried approval): no new lease was taken. */
  reused: boolean;
}

export interface ReleaseRequest {
  lockId: string;
  /** The operator releasing it. */
  actor: string;
  reason: string;
  now: number;
}

export interface PostcheckRequest {
  /** Which lease the postcheck ends: by lock id, or by the proposal that took it. */
  lockId?: string;
  proposalId?: string;
  result: "pass" | "fail";
  actor: string;
  reason?: string;
  now: number;
}

export interface LockStatus {
  /** Leases that hold their target now. */
  active: Lease[];
  /** Leases past their expiry that no receipt has ended yet (they hold nothing). */
  expired: Lease[];
  /** The last receipt the status was read through. */
  throughSeq: number;
}

/**
 * Repair locks: one lease per repair target, kept in the receipt log itself. Every decision runs in
 * the log's inter-process critical section, reading the lease state and appending the receipt that
 * changes it in one step, so two processes approving at once cannot both take a target. State
 * survives restarts because it is the receipts.
 */
export class RepairLocks {
  /** What this process last read; moved on incrementally, so a long-lived server reads each receipt once. */
  private state: LeaseState | undefined;

  constructor(private readonly log: ReceiptLog) {}

  private get dataDir(): string {
    return this.log.paths.dataDir;
  }

  /** Read-only, no lock taken: the leases as the log says now. */
  async status(now: number): Promise<LockStatus> {
    this.state = await readLeaseState(this.dataDir, this.state, { signer: this.log.signer });
    const all = [...this.state.leases.values()];
    return { active: activeLeases(all, now), expired: sortLeases(all.filter((lease) => isExpired(lease, now))), throughSeq: this.state.throughSeq };
  }

  /** The leases that hold their target now: what `applyTargetLocks` takes. */
  async activeLeases(now: number): Promise<Lease[]> {
    return (await this.status(now)).active;
  }

  /** Takes the lease on `target`, or throws TargetLockedError naming the holder. */
  async acquire(request: AcquireRequest): Promise<AcquireResult> {
    const target = request.target === "every" ? EVERY_TARGET : normalizeRepairTarget(request.target);
    if (target === null) throw new LockRequestError("repair lock: the candidate names no host and no service; give `candidate.target`, or lock every target (`target: \"every\"`) for a repair that may touch anything");
    const ttl = request.ttlMs ?? DEFAULT_LEASE_MS;
    if (!Number.isFinite(ttl) || ttl <= 0 || ttl > MAX_LEASE_MS) throw new LockRequestError(`repair lock: a lease of ${quote(String(ttl))} ms; give more than 0 and at most 7 days`);
    const { value: reusedLease, receipts } = await this.decide(async (_tx, state) => {
      const { active, expired } = leasesOn(state.leases.values(), target, request.now);
      const own = request.proposalId === undefined ? undefined : active.find((lease) => lease.proposal_id === request.proposalId);
      // A retried approval of the same proposal finds its own lease: keep it, take no second one.
      if (own !== undefined && active.length === 1) return { value: own, drafts: request.with ?? [] };
      const holder = active.find((lease) => lease !== own);
      if (holder !== undefined) throw new TargetLockedError(target, holder);
      const acquired: DraftOf<"lock.acquired"> = {
        kind: "lock.acquired",
        actor: request.owner,
        lock_id: `lk-${randomBytes(6).toString("hex")}`,
        repair_target: { ...target },
        owner: request.owner,
        reason: request.reason,
        expires_at: formatIsoTime(request.now + ttl),
      };
      if (request.proposalId !== undefined) acquired.proposal_id = request.proposalId;
      return { value: null, drafts: [...expired.map(expiryDraft), acquired, ...(request.with ?? [])] };
    });
    if (reusedLease !== null) return { lease: reusedLease, receipts, reused: true };
    const acquired = receipts.find((receipt): receipt is ReceiptOf<"lock.acquired"> => receipt.kind === "lock.acquired")!;
    return { lease: leaseOf(acquired), receipts, reused: false };
  }

  /** An operator ends a lease before its postcheck; the receipt records who and why. */
  async release(request: ReleaseRequest): Promise<{ lease: Lease; receipt: Receipt }> {
    const { value, receipts } = await this.decide(async (_tx, state) => {
      const lease = state.leases.get(request.lockId);
      if (lease === undefined) throw new LockNotFoundError(request.lockId);
      const draft: DraftOf<"lock.released"> = { kind: "lock.released", actor: request.actor, lock_id: lease.lock_id, repair_target: lease.repair_target, reason: request.reason };
      if (lease.proposal_id !== undefined) draft.proposal_id = lease.proposal_id;
      return { value: lease, drafts: [draft] };
    });
    return { lease: value, receipt: receipts[0]! };
  }

  /**
   * Records a postcheck. A pass releases the lease (the release receipt names the postcheck's seq);
   * a failure keeps the target locked: the repair did not work, and the operator decides what next.
   */
  async recordPostcheck(request: PostcheckRequest): Promise<{ receipts: Receipt[]; released: Lease | null }> {
    if (request.lockId === undefined && request.proposalId === undefined) throw new LockRequestError("postcheck: give the lock id or the proposal id it belongs to");
    const { value, receipts } = await this.decide(async (tx, state) => {
      const lease = [...state.leases.values()].find((l) => (request.lockId !== undefined ? l.lock_id === request.lockId : l.proposal_id === request.proposalId));
      if (lease === undefined) throw new LockNotFoundError(request.lockId ?? `for proposal ${request.proposalId}`);
      const postcheck: DraftOf<"postcheck"> = { kind: "postcheck", actor: request.actor, repair_target: lease.repair_target, result: request.result, lock_id: lease.lock_id };
      if (lease.proposal_id !== undefined) postcheck.proposal_id = lease.proposal_id;
      if (request.reason !== undefined) postcheck.reason = request.reason;
      const drafts: ReceiptDraft[] = [postcheck];
      if (request.result === "pass") {
        const released: DraftOf<"lock.released"> = {
          kind: "lock.released",
          actor: SYSTEM_ACTOR,
          lock_id: lease.lock_id,
          repair_target: lease.repair_target,
          reason: `postcheck passed (receipt ${tx.tip.seq + 1})`,
          postcheck_seq: tx.tip.seq + 1,
        };
        if (lease.proposal_id !== undefined) released.proposal_id = lease.proposal_id;
        drafts.push(released);
      }
      return { value: request.result === "pass" ? lease : null, drafts };
    });
    return { receipts, released: value };
  }

  /** Records `lock.expired` for every lease past its expiry (the server may run it now and then). */
  async expire(now: number): Promise<Receipt[]> {
    const { receipts } = await this.decide(async (_tx, state) => ({
      value: null,
      drafts: sortLeases([...state.leases.values()].filter((lease) => isExpired(lease, now))).map(expiryDraft),
    }));
    return receipts;
  }

  /** Reads the lease state and appends the receipts that change it, in one critical section. */
  private async decide<T>(choose: (tx: ReceiptTransaction, state: LeaseState) => Promise<{ value: T; drafts: readonly ReceiptDraft[] }>): Promise<{ value: T; receipts: Receipt[] }> {
    return this.log.exclusive(async (tx) => {
      let state = await readLeaseState(this.dataDir, this.state, { signer: this.log.signer });
      const { value, drafts } = await choose(tx, state);
      const receipts = await tx.append(drafts);
      if (receipts.length > 0) state = foldAppended(state, receipts, tx.tip.end);
      this.state = state;
      return { value, receipts };
    });
  }
}

function expiryDraft(lease: Lease): DraftOf<"lock.expired"> {
  const draft: DraftOf<"lock.expired"> = { kind: "lock.expired", actor: SYSTEM_ACTOR, lock_id: lease.lock_id, repair_target: lease.repair_target, expired_at: lease.expires_at };
  if (lease.proposal_id !== undefined) draft.proposal_id = lease.proposal_id;
  return draft;
}

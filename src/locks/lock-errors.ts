import { quote } from "../diagnostics/diagnostic.js";
import type { RepairTarget } from "../receipts/receipt-schema.js";
import type { Lease } from "./lease-state.js";
import { coversEverything, describeRepairTarget } from "./repair-target.js";

/** A second approval on a locked target: refused, with the holder named. */
export class TargetLockedError extends Error {
  constructor(
    readonly target: RepairTarget,
    readonly holder: Lease,
  ) {
    const wanted = describeRepairTarget(target);
    const by = `locked by ${quote(holder.owner)} until ${holder.expires_at} (lock ${quote(holder.lock_id)}${holder.proposal_id === undefined ? "" : `, proposal ${quote(holder.proposal_id)}`}: ${quote(holder.reason)})`;
    const everything = coversEverything(target);
    const held = coversEverything(holder.repair_target);
    const what =
      everything && !held
        ? `${wanted}: the candidate names no target, so its repair may touch anything, and ${describeRepairTarget(holder.repair_target)} is ${by}`
        : held && !everything
          ? `${wanted}: ${by}, a lock on every host and service (its repair names no target)`
          : `${wanted}: ${by}`;
    super(`${what}; wait until it expires, or release it with \`patchwarden lock release ${holder.lock_id} --reason TEXT\``);
    this.name = "TargetLockedError";
  }
}

export class LockNotFoundError extends Error {
  constructor(readonly lockId: string) {
    super(`lock ${quote(lockId)}: not held (never taken, or already released or expired); \`patchwarden lock status\` lists the held locks`);
    this.name = "LockNotFoundError";
  }
}

/** A request the caller built wrongly (no target, a lease of no length). */
export class LockRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LockRequestError";
  }
}

/** The receipts that hold lock state cannot be read as written: no lock decision is safe. */
export class LockStateError extends Error {
  /** `until`: what ends the refusal, when it is not `receipts verify` passing. */
  constructor(message: string, until = "until `patchwarden receipts verify` passes") {
    super(`${message}; no lock is taken or released ${until}`);
    this.name = "LockStateError";
  }
}

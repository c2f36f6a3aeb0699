import { open } from "node:fs/promises";
import { receiptPaths } from "../receipts/data-dir.js";
import { checkLine, kindStartsWith } from "../receipts/line-facts.js";
import { scanLines } from "../receipts/line-reader.js";
import { readFully } from "../receipts/log-tail.js";
import { GENESIS_HASH, MAX_RECEIPT_BYTES, type Receipt } from "../receipts/receipt-schema.js";
import { applyLockReceipt, type Lease } from "./lease-state.js";
import { LockStateError } from "./lock-errors.js";

/**
 * The lock state as of some point of the receipt log: the leases, and how far the log was read
 * (seq, hash and byte offset of the last receipt folded in). Reading more of the log moves it on.
 *
 * It is never stored outside the log: a cache file would be a way to drop a lease that `receipts
 * verify` cannot see. A fresh process folds the log from the start, checking every hash and link
 * (about 1.5 s per million receipts); a long-lived one keeps its state and reads only what is new.
 */
export interface LeaseState {
  throughSeq: number;
  throughHash: string;
  /** Byte offset just past the last receipt folded in. */
  end: number;
  leases: Map<string, Lease>;
}

export function emptyLeaseState(): LeaseState {
  return { throughSeq: 0, throughHash: GENESIS_HASH, end: 0, leases: new Map() };
}

const LOCK_KIND = Buffer.from("lock.");

/**
 * The lease state of a data folder's log, now: moved on from `known` when the log still holds the
 * receipt it was read through (it always does, unless the log was replaced or cut), else from the start.
 */
export async function readLeaseState(dataDir: string, known?: LeaseState): Promise<LeaseState> {
  const log = receiptPaths(dataDir).log;
  const from = known !== undefined && known.end > 0 && (await anchorHolds(log, known)) ? known : emptyLeaseState();
  return foldLog(log, from);
}

/** Reads the log on from `state.end`, checking every line's hash and link, folding the lock receipts. */
export async function foldLog(log: string, state: LeaseState): Promise<LeaseState> {
  const leases = new Map(state.leases);
  let throughSeq = state.throughSeq;
  let throughHash = state.throughHash;
  let end = state.end;
  // A bad final line may be a torn append that the next writer sets aside; only a line after it proves damage.
  let pending: string | null = null;
  await scanLines(
    log,
    (buf, start, lineEnd, offset) => {
      if (pending !== null) throw new LockStateError(pending);
      const check = checkLine(buf, start, lineEnd);
      if (!check.ok) {
        pending = `${log} (byte ${offset}): the receipt after ${throughSeq} ${check.detail}`;
        return true;
      }
      const { seq, prev, hash } = check.facts;
      if (seq !== throughSeq + 1 || prev !== throughHash) {
        throw new LockStateError(`${log} (byte ${offset}): receipt ${seq} does not follow receipt ${throughSeq}; the chain is broken`);
      }
      if (kindStartsWith(buf, start, lineEnd, LOCK_KIND)) {
        const receipt = lockReceiptOf(buf.toString("utf8", start, lineEnd));
        if (receipt === null) throw new LockStateError(`${log} (byte ${offset}): receipt ${seq} is not a lock receipt its kind says it is`);
        applyLockReceipt(leases, receipt);
      }
      throughSeq = seq;
      throughHash = hash;
      end = offset + (lineEnd - start) + 1;
      return true;
    },
    state.end,
  );
  return { throughSeq, throughHash, end, leases };
}

/**
 * The fields a fold needs from a lock receipt, checked by type. The line's hash was verified on its
 * bytes and its writer validated it against the full contract, so a schema pass per line (the slow
 * part of a cold fold) would only repeat that.
 */
function lockReceiptOf(text: string): Receipt | null {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
  const target = value["repair_target"] as Record<string, unknown> | undefined;
  const targetOk = typeof target === "object" && target !== null && ["host", "service"].every((key) => target[key] === undefined || typeof target[key] === "string");
  const strings = (...keys: string[]) => keys.every((key) => typeof value[key] === "string");
  if (!targetOk || !strings("lock_id", "time") || !Number.isSafeInteger(value["seq"])) return null;
  if (value["proposal_id"] !== undefined && typeof value["proposal_id"] !== "string") return null;
  switch (value["kind"]) {
    case "lock.acquired":
      return strings("owner", "reason", "expires_at") ? (value as unknown as Receipt) : null;
    case "lock.released":
    case "lock.expired":
      return value as unknown as Receipt;
    default:
      return null;
  }
}

/** Folds receipts this process has just appended (inside the log's mutex): no need to read them back. */
export function foldAppended(state: LeaseState, receipts: readonly Receipt[], end: number): LeaseState {
  const leases = new Map(state.leases);
  for (const receipt of receipts) applyLockReceipt(leases, receipt);
  const last = receipts.at(-1);
  return last === undefined ? state : { throughSeq: last.seq, throughHash: last.hash, end, leases };
}

/** Whether the receipt ending at `state.end` is still the one the state was folded through. */
async function anchorHolds(log: string, state: LeaseState): Promise<boolean> {
  let handle;
  try {
    handle = await open(log, "r");
  } catch {
    return false;
  }
  try {
    const size = (await handle.stat()).size;
    if (size < state.end) return false;
    const length = Math.min(state.end, MAX_RECEIPT_BYTES + 1);
    const buf = Buffer.allocUnsafe(length);
    await readFully(handle, buf, state.end - length);
    if (buf[length - 1] !== 0x0a) return false;
    const start = buf.lastIndexOf(0x0a, length - 2) + 1;
    if (start === 0 && length < state.end) return false;
    const check = checkLine(buf, start, length - 1);
    return check.ok && check.facts.seq === state.throughSeq && check.facts.hash === state.throughHash;
  } finally {
    await handle.close();
  }
}

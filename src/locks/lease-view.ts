import { basename } from "node:path";
import { pathExists } from "../fsutil/path-exists.js";
import { receiptPaths } from "../receipts/data-dir.js";
import { headDisagreement, readAnchor, type Anchor, type ChainReach } from "../receipts/head-agreement.js";
import { checkLine, kindStartsWith, type LineFacts } from "../receipts/line-facts.js";
import { scanLines } from "../receipts/line-reader.js";
import { GENESIS_HASH, type Receipt } from "../receipts/receipt-schema.js";
import type { ReceiptSigner } from "../receipts/seal.js";
import { lostSinceSeen, stillHolds } from "../receipts/seen-tip.js";
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
  /**
   * Hashes of the last RECENT receipts folded, at `seq % RECENT`: a head a little behind the fold (an
   * append landing while it was read, or a crash before the head moved) is checked without a second pass.
   */
  recent: string[];
}

const RECENT = 64;

export function emptyLeaseState(): LeaseState {
  return { throughSeq: 0, throughHash: GENESIS_HASH, end: 0, leases: new Map(), recent: [] };
}

const LOCK_KIND = Buffer.from("lock.");

/**
 * The lease state of a data folder's log, now: moved on from `known` when the log still holds the
 * receipt it was read through. Throws LockStateError when the log does not reach what
 * `receipts.head` records (a lock receipt cut off the end, or a log removed, must not read as a
 * target no one holds), and when it no longer holds what `known` was read through: a log and head
 * removed together, or started again, look like a folder never used to a fresh reader, but not to
 * a process that has read receipts there.
 *
 * In a signed log (a signed head), receipts after the head are vouched for by no head yet, and lock
 * state is not taken from one that was not written with the key: with `signer` (the key the log is
 * signed with), each must carry the key's own signature of its hash; without it, at least that key's
 * id and a signature (a reader without the key cannot tell a made-up one; the writer, which every
 * lock decision goes through, can).
 */
export async function readLeaseState(dataDir: string, known?: LeaseState, options: { signer?: ReceiptSigner | undefined } = {}): Promise<LeaseState> {
  const paths = receiptPaths(dataDir);
  // The head before the log, as `receipts verify` reads them (see head-agreement.ts).
  const anchor = await readAnchor(paths.head, options.signer);
  if (!anchor.ok) throw new LockStateError(anchor.problem);
  const head = anchor.head;
  // With the key, the head itself must be this key's: a head swapped for an unsigned one (same seq
  // and hash) would otherwise turn off the check of what follows it, and a forged release with it.
  if (options.signer !== undefined && head !== null && head.seq > 0 && anchor.signature !== "valid") {
    throw new LockStateError(`${paths.head}: ${HEAD_NOT_SIGNED[anchor.signature ?? "unsigned"]} (${options.signer.keyId}); lock state is not read from it`, UNSIGNED_UNTIL);
  }
  const seen = known !== undefined && known.throughSeq > 0 ? { state: known, tip: { seq: known.throughSeq, hash: known.throughHash, end: known.end } } : undefined;
  const holds = seen !== undefined && (await stillHolds(paths.log, seen.tip));
  let from = holds && seen !== undefined ? seen.state : emptyLeaseState();
  // A head further behind than the hashes kept: read from the start, which passes it.
  if (head !== null && head.seq > 0 && head.seq <= from.throughSeq && hashOf(from, head.seq) === null) from = emptyLeaseState();
  const { state, reach } = await foldLog(paths.log, from, head?.seq ?? 0, pastHeadCheck(head, options.signer, basename(paths.head)));
  const problem = await headDisagreement(paths, head, reach);
  if (problem !== null) throw new LockStateError(problem);
  if (seen !== undefined && !holds) {
    const there = { log: await pathExists(paths.log), head: head !== null };
    const lost = lostSinceSeen(paths, seen.tip, there);
    throw new LockStateError(`${lost.path}: ${lost.detail}`, LOST_UNTIL);
  }
  return state;
}

// `receipts verify` may pass on a log started again: what this process saw is gone all the same.
const LOST_UNTIL = "by this process until the log it read is restored, or it is restarted";
const HEAD_NOT_SIGNED = {
  valid: "is signed with the key",
  unsigned: "is not signed, but this log is read with its signing key",
  unknown_key: "is signed by another key than the one this log is read with",
  invalid: "has a signature that does not verify with the key this log is read with",
} as const;
// Without a public key, `receipts verify` only notes an unsigned receipt after signed ones.
const UNSIGNED_UNTIL = "until `patchwarden receipts verify --public-key receipt-signing.pub` passes, or an operator who accepts the log as it is re-anchors it with the key (`patchwarden receipts reanchor --reason TEXT`)";

/**
 * What a receipt after a signed head must show to count (see readLeaseState): null when the head is
 * not signed, or when the receipt is one the head covers.
 */
function pastHeadCheck(head: Anchor | null, signer: ReceiptSigner | undefined, label: string): ((facts: LineFacts) => string | null) | null {
  const keyId = head?.keyId;
  if (head === null || keyId === undefined) return null;
  const own = signer !== undefined && signer.keyId === keyId ? signer : undefined;
  return (facts) => {
    if (facts.seq <= head.seq) return null;
    const after = `receipt ${facts.seq} comes after receipt ${head.seq}, the last one ${label} vouches for`;
    if (facts.keyId !== keyId || facts.sig === null) return `${after}, and is not signed with ${keyId}, the key this log is signed with; it was appended without the key`;
    if (own !== undefined && own.sign(Buffer.from(facts.hash, "latin1")) !== facts.sig) return `${after}, and carries a signature that ${keyId} did not make; it was appended without the key`;
    return null;
  };
}

/**
 * Reads the log on from `state.end`, checking every line's hash and link, folding the lock receipts.
 * `headSeq`: the receipt whose hash the caller checks against the head, kept on the way. `vouch`:
 * what a receipt after a signed head must show (pastHeadCheck).
 */
async function foldLog(log: string, state: LeaseState, headSeq: number, vouch: ((facts: LineFacts) => string | null) | null): Promise<{ state: LeaseState; reach: ChainReach }> {
  const leases = new Map(state.leases);
  const recent = state.recent.slice();
  let throughSeq = state.throughSeq;
  let throughHash = state.throughHash;
  let end = state.end;
  let hashAtHead = headSeq > 0 && headSeq <= throughSeq ? hashOf(state, headSeq) : null;
  // A bad final line may be a torn append that the next writer sets aside; only a line after it, or a head covering it, proves damage.
  let pending: ChainReach["badFinal"] = null;
  const scan = await scanLines(
    log,
    (buf, start, lineEnd, offset) => {
      if (pending !== null) throw new LockStateError(pending.problem);
      const check = checkLine(buf, start, lineEnd);
      if (!check.ok) {
        pending = { problem: `${log} (byte ${offset}, the receipt after ${throughSeq}): ${check.detail}`, bytes: lineEnd - start };
        return true;
      }
      const { seq, prev, hash } = check.facts;
      if (seq !== throughSeq + 1 || prev !== throughHash) {
        throw new LockStateError(`${log} (byte ${offset}): receipt ${seq} does not follow receipt ${throughSeq}; the chain is broken`);
      }
      const unvouched = vouch?.(check.facts) ?? null;
      if (unvouched !== null) throw new LockStateError(`${log} (byte ${offset}): ${unvouched}`, UNSIGNED_UNTIL);
      if (kindStartsWith(buf, start, lineEnd, LOCK_KIND)) {
        const receipt = lockReceiptOf(buf.toString("utf8", start, lineEnd));
        if (receipt === null) throw new LockStateError(`${log} (byte ${offset}): receipt ${seq} is not a lock receipt its kind says it is`);
        applyLockReceipt(leases, receipt);
      }
      if (seq === headSeq) hashAtHead = hash;
      recent[seq % RECENT] = hash;
      throughSeq = seq;
      throughHash = hash;
      end = offset + (lineEnd - start) + 1;
      return true;
    },
    state.end,
  );
  return {
    state: { throughSeq, throughHash, end, leases, recent },
    reach: { lastSeq: throughSeq, hashAtHead, badFinal: pending, tailBytes: scan.tail?.bytes ?? 0 },
  };
}

/** The hash of receipt `seq` if the state still keeps it. */
function hashOf(state: LeaseState, seq: number): string | null {
  if (seq < 1 || seq > state.throughSeq || seq <= state.throughSeq - RECENT) return null;
  return state.recent[seq % RECENT] ?? null;
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
  const recent = state.recent.slice();
  for (const receipt of receipts) {
    applyLockReceipt(leases, receipt);
    recent[receipt.seq % RECENT] = receipt.hash;
  }
  const last = receipts.at(-1);
  return last === undefined ? state : { throughSeq: last.seq, throughHash: last.hash, end, leases, recent };
}

import { verify as verifySignature, type KeyObject } from "node:crypto";
import { checkLine, readSeq, type LineFacts } from "./line-facts.js";
import { notATornWrite } from "./log-tail.js";
import { GENESIS_HASH } from "./receipt-schema.js";
import type { ReceiptSigner } from "./seal.js";

/**
 * Walks a receipt log line by line and names the first receipt that is not what was written: the
 * first position `s` where line `s` is not the authentic receipt `s`. Changed, removed, reordered,
 * duplicated, re-hashed and cut-off receipts all come down to that, and so does a bad signature.
 */
export type ProblemKind =
  | "changed"
  | "malformed"
  | "missing"
  | "reordered"
  | "duplicated"
  | "rewritten"
  | "truncated"
  | "head_mismatch"
  | "head_missing"
  | "log_missing"
  | "head_invalid"
  | "unsigned"
  | "bad_signature"
  | "unknown_key";

export interface ChainProblem {
  kind: ProblemKind;
  /** The first receipt that is not what was written (null: the head file itself). */
  seq: number | null;
  /** 1-based line of the log where it shows, when it shows on a line. */
  line: number | null;
  /** Lowercase, what is wrong and what it means; the caller puts the path in front. */
  message: string;
}

export interface HeadAnchor {
  seq: number;
  hash: string;
}

export interface VerifyReport {
  ok: boolean;
  /** Receipts that verified, from the first line on. */
  receipts: number;
  firstSeq: number | null;
  lastSeq: number | null;
  /** Hash of the last receipt that verified (the genesis value when none did). */
  lastHash: string;
  signed: number;
  head: HeadAnchor | null;
  problem: ChainProblem | null;
  /** A final line that is not a whole receipt and that the head does not cover: a crash mid-append, repaired on the next open. */
  tornTail: { seq: number; line: number } | null;
  /** Not failures: a torn final line awaiting repair, a head behind a crash, a partial export. */
  notices: string[];
}

export interface VerifierOptions {
  /** Public keys by key id; with keys, every receipt from the first on must carry a valid signature. */
  keys?: ReadonlyMap<string, KeyObject>;
  /**
   * `every` (default) checks each receipt's signature. `head` checks only those after the head: the
   * head's own signature (checked by the caller) covers its hash, which the chain ties to every
   * receipt before it, so one signature check stands for all of them. A thousand times faster.
   */
  signatures?: "every" | "head";
  /** An export that starts after receipt 1 (asked for, never assumed): the first line's `prev` cannot be checked. */
  partial?: boolean;
  /** The anchor: the log must reach it, and the receipt there must have its hash. */
  head: HeadAnchor | null;
  /** Whether a missing head is a problem (the data folder's log) or expected (a bare export). */
  requireHead: boolean;
  /** How messages name the anchor, e.g. `receipts.head`. */
  headLabel: string;
  /** The anchor is a checkpoint kept apart (an export's head, a copy): behind the log by design, not by a crash. */
  headIsCheckpoint?: boolean;
  /**
   * Goes on from a chain this process verified before, through receipt `seq` with hash `hash`: the
   * lines given start after it. A head at or before `seq` is the caller's to check (pass `head: null`).
   */
  start?: HeadAnchor;
  /**
   * The writer's own check, with the key it signs with: every receipt after `after` (the head's seq)
   * must carry this key's id and the very signature the key makes of its hash (ed25519 is
   * deterministic), or it was not written with the key. No head vouches for those receipts yet.
   */
  ownKey?: { signer: ReceiptSigner; after: number };
  /** Told of each receipt that verified, in order. */
  onReceipt?: (facts: LineFacts) => void;
}

interface Pending {
  kind: "changed" | "malformed";
  line: number;
  seq: number;
  detail: string;
  /** The line's length without its newline: a torn write leaves at most one receipt's. */
  bytes: number;
}

export class ChainVerifier {
  private expected = 1;
  private prevHash = GENESIS_HASH;
  private count = 0;
  private firstSeq: number | null = null;
  private signed = 0;
  private lastLine = 0;
  private problem: ChainProblem | null = null;
  /** A bad line that is a torn tail if nothing follows it, tampering if something does. */
  private pending: Pending | null = null;
  /** After a gap: whether the missing receipt turns up later (reordered) or never (removed). */
  private searching: { seq: number; line: number; found: number; holds: number } | null = null;
  private readonly notices: string[] = [];
  private tornTail: VerifyReport["tornTail"] = null;

  constructor(private readonly options: VerifierOptions) {
    if (options.start !== undefined) {
      this.expected = options.start.seq + 1;
      this.prevHash = options.start.hash;
    }
  }

  /** Returns false once nothing more can change the outcome. */
  line(buf: Buffer, start: number, end: number, number: number): boolean {
    if (this.searching !== null) {
      if (readSeq(buf, start, end) === this.searching.seq) {
        this.searching.found = number;
        return false;
      }
      return true;
    }
    if (this.problem !== null) return false;
    if (this.pending !== null) {
      // Something follows the bad line, so it is not a torn final write.
      this.fail(this.pending.kind, this.pending.seq, this.pending.line, `${this.pending.detail}; receipt ${this.pending.seq} was changed after it was written`);
      return false;
    }
    const check = checkLine(buf, start, end);
    if (!check.ok) {
      this.pending = { kind: check.kind, line: number, seq: this.expected, detail: check.detail, bytes: end - start };
      return true;
    }
    return this.accept(check.facts, number);
  }

  private accept(facts: LineFacts, number: number): boolean {
    const expected = this.expected;
    if (this.count === 0 && this.options.partial === true && facts.seq > 1) {
      // An export from receipt k on: its chain starts wherever the export does.
      this.expected = facts.seq;
      this.prevHash = facts.prev;
      this.notices.push(`the log starts at receipt ${facts.seq} (a partial export); receipts before it are not checked`);
    } else if (facts.seq !== expected) {
      if (facts.seq === expected - 1 && facts.hash === this.prevHash) {
        this.fail("duplicated", expected, number, `repeats receipt ${facts.seq}; a receipt was copied into the log`);
      } else if (facts.seq < expected) {
        this.fail("reordered", expected, number, `holds receipt ${facts.seq} where receipt ${expected} belongs; the receipts were reordered`);
      } else {
        // Removed, or moved further down? Keep reading to tell.
        this.searching = { seq: expected, line: number, found: 0, holds: facts.seq };
        return true;
      }
      return false;
    }
    if (facts.prev !== this.prevHash) {
      if (this.count === 0 || expected === 1) {
        this.fail("rewritten", expected, number, `receipt ${expected} does not chain to ${expected === 1 ? "the start of the log" : `receipt ${expected - 1}`}; it was changed and re-hashed after it was written`);
      } else {
        this.fail(
          "rewritten",
          expected - 1,
          number - 1,
          `receipt ${expected - 1} was changed and re-hashed after it was written: receipt ${expected} (line ${number}) chains to ${facts.prev}, but receipt ${expected - 1} hashes to ${this.prevHash}`,
        );
      }
      return false;
    }
    if (!this.checkSignature(facts, number)) return false;
    const head = this.options.head;
    if (head !== null && facts.seq === head.seq && facts.hash !== head.hash) {
      this.fail("head_mismatch", facts.seq, number, `receipt ${facts.seq} hashes to ${facts.hash}, but ${this.options.headLabel} records ${head.hash} for it; the receipt was changed and re-hashed, or ${this.options.headLabel} was changed`);
      return false;
    }
    if (this.firstSeq === null) this.firstSeq = facts.seq;
    this.count++;
    this.expected = facts.seq + 1;
    this.prevHash = facts.hash;
    this.lastLine = number;
    this.options.onReceipt?.(facts);
    return true;
  }

  private checkSignature(facts: LineFacts, number: number): boolean {
    const seq = facts.seq;
    if (facts.keyId !== null && facts.sig === null) {
      this.fail("unsigned", seq, number, `receipt ${seq} names signing key ${facts.keyId} but carries no signature; its signature was removed`);
      return false;
    }
    if (facts.sig !== null) this.signed++;
    if (!this.checkOwnSignature(facts, number)) return false;
    const keys = this.options.keys;
    if (keys === undefined || keys.size === 0) {
      if (facts.sig === null && this.signed > 0) {
        this.notices.push(`receipt ${seq} and later are unsigned although earlier receipts are signed; verify with --public-key to make this a failure`);
      }
      return true;
    }
    if (facts.keyId === null || facts.sig === null) {
      this.fail("unsigned", seq, number, `receipt ${seq} is not signed; with a public key every receipt must be, so it was added or rewritten without the operator's key`);
      return false;
    }
    const key = keys.get(facts.keyId);
    if (key === undefined) {
      this.fail("unknown_key", seq, number, `receipt ${seq} is signed by ${facts.keyId}, which is none of the public keys given (${[...keys.keys()].join(", ")}); give that key's public half, or the receipt was signed by someone else`);
      return false;
    }
    const head = this.options.head;
    const coveredByHead = this.options.signatures === "head" && head !== null && seq <= head.seq;
    if (!coveredByHead && !verifySignature(null, Buffer.from(facts.hash, "latin1"), key, Buffer.from(facts.sig, "base64"))) {
      this.fail("bad_signature", seq, number, `receipt ${seq}'s signature does not verify with ${facts.keyId}; the receipt was changed and re-hashed after it was signed`);
      return false;
    }
    return true;
  }

  private checkOwnSignature(facts: LineFacts, number: number): boolean {
    const own = this.options.ownKey;
    const seq = facts.seq;
    if (own === undefined || seq <= own.after) return true;
    const { keyId } = own.signer;
    const after = `comes after receipt ${own.after}, the last one ${this.options.headLabel} vouches for`;
    if (facts.keyId === null || facts.sig === null) {
      this.fail("unsigned", seq, number, `receipt ${seq} ${after}, and is not signed, but this log is signed with ${keyId}; it was appended without the key`);
      return false;
    }
    if (facts.keyId !== keyId) {
      this.fail("unknown_key", seq, number, `receipt ${seq} ${after}, and names key ${facts.keyId}, not ${keyId}, the key this process signs with; it was appended with another key`);
      return false;
    }
    if (own.signer.sign(Buffer.from(facts.hash, "latin1")) !== facts.sig) {
      this.fail("bad_signature", seq, number, `receipt ${seq} ${after}, and carries a signature that ${keyId} did not make; it was appended without the key`);
      return false;
    }
    return true;
  }

  private fail(kind: ProblemKind, seq: number | null, line: number | null, message: string): void {
    this.problem ??= { kind, seq, line, message };
  }

  /** `tail`: bytes after the last newline (an unfinished final line), if any. */
  finish(tail: { bytes: number } | null): VerifyReport {
    const head = this.options.head;
    // Going on from `start`, the chain reaches at least there even when no line followed it.
    const lastSeq = this.count === 0 && (this.options.start?.seq ?? 0) === 0 ? null : this.expected - 1;
    if (this.searching !== null && this.problem === null) {
      const { seq, line, found, holds } = this.searching;
      if (found > 0) this.fail("reordered", seq, line, `holds receipt ${holds} where receipt ${seq} belongs (receipt ${seq} is at line ${found}); the receipts were reordered`);
      else this.fail("missing", seq, line, `holds receipt ${holds} where receipt ${seq} belongs, and receipt ${seq} is nowhere in the log; it was removed`);
    }
    if (this.problem === null && this.pending !== null) {
      const { seq, line, detail, kind, bytes } = this.pending;
      const tooLong = notATornWrite(bytes);
      if (tail !== null || (head !== null && head.seq >= seq)) {
        const why = tail !== null ? `receipt ${seq} was changed after it was written` : `${this.options.headLabel} records receipt ${head!.seq}, so receipt ${seq} was whole once and was changed or cut after it was written`;
        this.fail(kind, seq, line, `${detail}; ${why}`);
      } else if (tooLong !== null) {
        this.fail(kind, seq, line, tooLong);
      } else {
        this.tornTail = { seq, line };
        this.notices.push(`the final line (line ${line}) is not a whole receipt: a crash while appending receipt ${seq}; it is set aside when the log is next opened for writing`);
      }
    }
    const nextSeq = (lastSeq ?? 0) + 1;
    if (this.problem === null && this.pending === null && tail !== null) {
      const tooLong = notATornWrite(tail.bytes);
      if (head !== null && head.seq >= nextSeq) {
        this.fail("truncated", nextSeq, this.lastLine + 1, `receipt ${nextSeq} is cut off after ${tail.bytes} bytes, but ${this.options.headLabel} records receipt ${head.seq}; the log was cut short after it was written`);
      } else if (tooLong !== null) {
        this.fail("malformed", nextSeq, this.lastLine + 1, tooLong);
      } else {
        this.tornTail = { seq: nextSeq, line: this.lastLine + 1 };
        this.notices.push(`${tail.bytes} bytes after receipt ${lastSeq ?? 0} are an unfinished receipt: a crash while appending (or an append in progress); they are set aside when the log is next opened for writing`);
      }
    }
    if (this.problem === null) this.checkHead(lastSeq);
    // With a key, each receipt is signed or has failed already; an empty log needs its signed head
    // (checked by the caller) to show the operator's key, or it would pass for any empty file.
    if (this.problem === null && this.hasKeys() && this.signed === 0 && head === null) {
      this.fail("unsigned", null, null, "no receipt is signed and there is no head, but a public key was given; nothing here was written with the operator's key");
    }
    return {
      ok: this.problem === null,
      receipts: this.count,
      firstSeq: this.firstSeq,
      lastSeq,
      lastHash: this.prevHash,
      signed: this.signed,
      head,
      problem: this.problem,
      tornTail: this.tornTail,
      notices: this.notices,
    };
  }

  private hasKeys(): boolean {
    return this.options.keys !== undefined && this.options.keys.size > 0;
  }

  private checkHead(lastSeq: number | null): void {
    const head = this.options.head;
    const label = this.options.headLabel;
    const last = lastSeq ?? 0;
    if (head === null) {
      // With a key, an empty log proves nothing without its signed head: deleting both must not pass.
      if (this.options.requireHead && (this.count > 0 || this.hasKeys())) {
        this.fail("head_missing", null, null, `missing, so receipts removed from the end of the log could not be noticed; restore it from a backup, or re-anchor the log after checking it (\`patchwarden receipts reanchor --reason TEXT\`)`);
      }
      return;
    }
    if (head.seq > last) {
      const from = last + 1;
      this.fail(
        "truncated",
        from,
        this.lastLine + 1,
        `the log ends at receipt ${last}, but ${label} records receipt ${head.seq}; receipt${from === head.seq ? ` ${from} was` : `s ${from}–${head.seq} were`} removed from the end`,
      );
      return;
    }
    if (this.firstSeq !== null && this.options.start === undefined && head.seq < this.firstSeq) {
      // A checkpoint proves the log still holds its receipt; one from before the log starts cannot be checked, so it fails.
      if (head.seq > 0) {
        this.fail(
          "missing",
          head.seq,
          null,
          `${label} records receipt ${head.seq}, but the log starts at receipt ${this.firstSeq}; receipt ${head.seq} is not in it, so it was removed (with those before it), or ${label} belongs to another log`,
        );
      }
      return;
    }
    if (head.seq < last) {
      this.notices.push(
        this.options.headIsCheckpoint === true
          ? `${label} is a checkpoint at receipt ${head.seq}: the log holds that receipt with its hash, and goes on to receipt ${last}`
          : `${label} is ${last - head.seq} receipt(s) behind the log (a crash between an append and the head update); the next append brings it up to date`,
      );
    }
  }
}

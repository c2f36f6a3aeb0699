import type { KeyObject } from "node:crypto";
import { open, stat, type FileHandle } from "node:fs/promises";
import { basename, join } from "node:path";
import { withMutex, type MutexOptions } from "../locks/mutex.js";
import { formatIsoTime } from "../time/iso-time.js";
import { receiptPaths, type ReceiptPaths } from "./data-dir.js";
import { syncFolder } from "../fsutil/atomic-write.js";
import { checkHeadSignedBy, EMPTY_HEAD, makeHead, readHead, writeHead, type HeadRecord } from "./head-file.js";
import { inspectTail, readFully } from "./log-tail.js";
import { GENESIS_HASH, type DraftOf, type Receipt, type ReceiptDraft } from "./receipt-schema.js";
import { ChainVerifier, type VerifyReport } from "./chain-verifier.js";
import { scanLines } from "./line-reader.js";
import { RecentHashes } from "./recent-hashes.js";
import { sealReceipt, validateDraft, type ReceiptSigner } from "./seal.js";
import { verifyReceiptLog } from "./verify-log.js";
import { pathExists } from "../fsutil/path-exists.js";
import { refuseKeylessOverSigned } from "./key-required.js";
import { lostSinceSeen, stillHolds, type SeenTip } from "./seen-tip.js";
import { makeFolder } from "../fsutil/make-folder.js";

/**
 * Receipts one write carries at most; a longer batch is written in parts, each with its own head
 * update, so a crash leaves the head at most this far behind the log.
 */
export const MAX_RECEIPTS_PER_WRITE = 256;

/**
 * How far behind the log's end a writer accepts the head: what a crash mid-append leaves, with a
 * margin (a head update that failed after its receipts were written). A head further behind was not
 * left by an append; it is refused, as a head with another hash is.
 */
export const MAX_HEAD_LAG = 4 * MAX_RECEIPTS_PER_WRITE;

// A head further behind than an interrupted append leaves it: what it is and what to do.
const OLDER_HEAD = "it was replaced by an older head: check the log with `patchwarden receipts verify`, and if you accept it as it is, `patchwarden receipts reanchor --reason TEXT`";

export interface ReceiptLogOptions {
  /** Signs every receipt and the head; from `loadSigner($PATCHWARDEN_RECEIPT_KEY)`. */
  signer?: ReceiptSigner;
  /** epoch ms for receipt times (default Date.now); the log is an edge, tests pass their own. */
  clock?: () => number;
  /** fsync the log, the head and their folder (default true). Off only for benchmarks and tests. */
  durable?: boolean;
  mutex?: MutexOptions;
  /** Told whenever a torn final line is set aside, so the caller can say so (stderr, server log). */
  onRepair?: (report: RepairReport) => void;
}

/** The end of the chain: the last whole receipt (seq 0 and the genesis hash for an empty log). */
export interface ChainTip {
  seq: number;
  hash: string;
  /** Byte offset just past the last whole receipt. */
  end: number;
}

export interface RepairReport {
  /** The file the torn bytes were moved to. */
  setAside: string;
  bytes: number;
  /** The last whole receipt, which the log now ends with. */
  afterSeq: number;
  message: string;
}

/** Inside one inter-process critical section: the tip cannot move except by this transaction's appends. */
export interface ReceiptTransaction {
  readonly tip: ChainTip;
  /** Appends with one write and one fsync; a crash keeps a prefix of `drafts`, never a reordering. */
  append(drafts: readonly ReceiptDraft[]): Promise<Receipt[]>;
}

/**
 * The log is not what was written (not a torn write: those are repaired). Appending would bury the
 * evidence, so every append refuses until an operator has looked (`patchwarden receipts verify`).
 */
export class ReceiptLogDamagedError extends Error {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`${path}: ${detail}; nothing more is appended until an operator runs \`patchwarden receipts verify\` and repairs or re-anchors the log`);
    this.name = "ReceiptLogDamagedError";
  }
}

/**
 * The append-only receipt log of one data folder. Safe between processes: every append reads the
 * current end under an inter-process mutex, appends with fsync, then moves `receipts.head` with an
 * atomic rename. A crash between the two leaves the head one append behind, which verifies.
 */
export class ReceiptLog {
  readonly paths: ReceiptPaths;
  /** The repair made when the log was opened, if any. */
  repaired: RepairReport | null = null;
  private readonly clock: () => number;
  private readonly durable: boolean;
  /**
   * The last receipt this process verified or wrote (seq 0: none yet); see seen-tip.ts. The chain up
   * to it was verified once, so each append checks only what follows it.
   */
  private seen: SeenTip = { ...EMPTY_HEAD, end: 0 };
  /** Hashes of the last receipts verified or written, to check a head behind `seen` against. */
  private readonly recent = new RecentHashes(MAX_HEAD_LAG + 1);

  private constructor(
    dataDir: string,
    private readonly options: ReceiptLogOptions,
  ) {
    this.paths = receiptPaths(dataDir);
    this.clock = options.clock ?? Date.now;
    this.durable = options.durable ?? true;
  }

  /**
   * Opens (creating) the log of a data folder for writing, verifies the whole chain against its head
   * (streaming, once; appends then check only what follows what this process verified), and repairs
   * a torn tail. Throws ReceiptLogDamagedError when the log was changed; the server should not start
   * on such a log.
   */
  static async open(dataDir: string, options: ReceiptLogOptions = {}): Promise<ReceiptLog> {
    const log = ReceiptLog.at(dataDir, options);
    await makeFolder(log.paths.dir, 0o750);
    log.repaired = await log.repair();
    return log;
  }

  /**
   * The log of a data folder without touching it: for readers (lock status) and for `reanchor`,
   * which must work on the damaged log that `open` refuses. Appends still check and repair first.
   */
  static at(dataDir: string, options: ReceiptLogOptions = {}): ReceiptLog {
    return new ReceiptLog(dataDir, options);
  }

  get signer(): ReceiptSigner | undefined {
    return this.options.signer;
  }

  async append(draft: ReceiptDraft): Promise<Receipt> {
    const [receipt] = await this.appendAll([draft]);
    return receipt!;
  }

  async appendAll(drafts: readonly ReceiptDraft[]): Promise<Receipt[]> {
    return this.exclusive((tx) => tx.append(drafts));
  }

  /** Sets a torn tail aside now (the server calls it on start; appends do it anyway). */
  async repair(): Promise<RepairReport | null> {
    let report: RepairReport | null = null;
    await this.run(async () => undefined, (made) => (report = made));
    return report;
  }

  /**
   * Runs `body` holding the log's inter-process mutex, with the verified end of the chain. Decisions
   * that must not race with other processes (a repair lock) read state and append inside one body.
   * Keep it short: every other appender waits.
   */
  async exclusive<T>(body: (tx: ReceiptTransaction) => Promise<T>): Promise<T> {
    return this.run(body, undefined);
  }

  private async run<T>(body: (tx: ReceiptTransaction) => Promise<T>, onRepair: ((report: RepairReport) => void) | undefined): Promise<T> {
    return withMutex(
      this.paths.mutex,
      async () => {
        const tip = await this.prepare(onRepair);
        this.seen = tip;
        const tx: { tip: ChainTip; append: ReceiptTransaction["append"] } = {
          tip,
          append: async (drafts) => {
            const { receipts, tip: next } = await this.write(tx.tip, drafts);
            tx.tip = next;
            this.seen = next;
            return receipts;
          },
        };
        return body(tx);
      },
      this.options.mutex,
    );
  }

  /** Verifies the whole log against its head (read-only; see verifyReceiptLog). */
  async verify(keys?: ReadonlyMap<string, KeyObject>): Promise<VerifyReport> {
    return verifyReceiptLog({ log: this.paths.log, head: this.paths.head, requireHead: true, ...(keys === undefined ? {} : { keys }) });
  }

  /**
   * Accepts the log as it is and moves the head to its end, recording the old head and the
   * operator's reason in a `log.reanchored` receipt. For a head that was lost or damaged, or a log
   * an operator has examined after a truncation. A final line that is not a whole receipt (a cut
   * mid-receipt, which `open` refuses when the head covers it) is set aside here, and the receipt
   * says where. Refuses a chain that is broken inside: that is tampering to investigate, not an
   * anchor to move.
   */
  async reanchor(actor: string, reason: string): Promise<Receipt> {
    await makeFolder(this.paths.dir, 0o750);
    return withMutex(
      this.paths.mutex,
      async () => {
        const headRead = await readHead(this.paths.head);
        const previous = headRead.ok ? headRead.head : null;
        if (previous !== null && this.options.signer === undefined) refuseKeylessOverSigned(this.paths.head, previous, "reanchor");
        const draft: DraftOf<"log.reanchored"> = {
          kind: "log.reanchored",
          actor,
          reason,
          previous_head_seq: previous?.seq ?? null,
          previous_head_hash: previous?.hash ?? null,
        };
        // Refuse a bad actor or reason before anything is moved aside.
        validateDraft(draft);
        const chain = await verifyReceiptLog({ log: this.paths.log, head: null, requireHead: false });
        if (chain.problem !== null) {
          throw new ReceiptLogDamagedError(this.paths.log, `${chain.problem.line === null ? "" : `line ${chain.problem.line}: `}${chain.problem.message}; the chain itself is broken, so it cannot be re-anchored`);
        }
        const seq = chain.lastSeq ?? 0;
        let end = (await stat(this.paths.log).catch(() => ({ size: 0 }))).size;
        if (chain.tornTail !== null) {
          const report = await this.setAsideForReanchor(seq);
          this.options.onRepair?.(report);
          end = report.at;
          draft.reason = withNote(reason, `; the final line (${report.bytes} bytes after receipt ${seq}, not a whole receipt) was set aside in ${basename(report.setAside)}`);
        }
        // The operator accepted the log as it is: what this process saw before no longer binds it.
        this.recent.clear();
        const { receipts, tip } = await this.write({ seq, hash: chain.lastHash, end }, [draft]);
        this.seen = tip;
        return receipts[0]!;
      },
      this.options.mutex,
    );
  }

  /** The torn final line that verify found, set aside (never deleted) so the log ends at receipt `seq`. */
  private async setAsideForReanchor(seq: number): Promise<RepairReport & { at: number }> {
    const handle = await openLog(this.paths.log, "r+");
    if (handle === null) throw new ReceiptLogDamagedError(this.paths.log, "removed while it was being re-anchored; run the command again");
    try {
      const tail = await inspectTail(handle, (await handle.stat()).size);
      // Under the mutex nothing else appends, so this disagrees with verify only if the file was changed meanwhile.
      if (tail.kind !== "torn" || (tail.last?.seq ?? 0) !== seq) {
        throw new ReceiptLogDamagedError(this.paths.log, `${tail.kind === "damaged" ? tail.problem : "changed while it was being re-anchored"}; run \`patchwarden receipts verify\` again`);
      }
      const report = await this.setAside(handle, tail.at, tail.bytes, seq, tail.why, "left out by the re-anchoring an operator asked for");
      return { ...report, at: tail.at };
    } finally {
      await handle.close();
    }
  }

  /**
   * Reads the end of the chain, refuses a log that was changed, and sets a torn tail aside. The chain
   * is verified from the last receipt this process verified (the whole log, the first time) to the
   * end, against the head, and, with a key, every receipt after the head must be signed with it.
   * Nothing is changed before all of that passed.
   */
  private async prepare(onRepair: ((report: RepairReport) => void) | undefined): Promise<ChainTip> {
    const headRead = await readHead(this.paths.head);
    if (!headRead.ok) throw new ReceiptLogDamagedError(this.paths.head, headRead.problem);
    const head = headRead.head;
    const handle = await openLog(this.paths.log, "r+");
    if (handle === null) {
      if (head !== null && head.seq > 0) {
        throw new ReceiptLogDamagedError(
          this.paths.log,
          `missing, but ${basename(this.paths.head)} records receipt ${head.seq}; the log was removed: restore it from a backup, or accept the loss with \`patchwarden receipts reanchor --reason TEXT\``,
        );
      }
      // Only a folder this process never saw receipts in is a new log.
      if (this.seen.seq > 0) throw this.lost({ log: false, head: head !== null });
      if (head === null || this.resignEmptyHead(head, 0)) await this.anchorEmpty();
      this.recent.clear();
      return { ...EMPTY_HEAD, end: 0 };
    }
    try {
      const size = (await handle.stat()).size;
      // Read-only, before anything is changed; said after the more specific checks below.
      const held = this.seen.seq === 0 || (await stillHolds(handle, this.seen));
      // Before anything is changed: a head this writer may not sign over leaves the log as it is.
      const resign = head !== null && this.resignEmptyHead(head, size);
      const tail = await inspectTail(handle, size);
      if (tail.kind === "damaged") throw new ReceiptLogDamagedError(this.paths.log, tail.problem);
      if (tail.kind === "torn" && head !== null && head.seq >= tail.seq) {
        throw new ReceiptLogDamagedError(this.paths.log, `the final line ${tail.why}, but ${basename(this.paths.head)} records receipt ${head.seq}, so receipt ${tail.seq} was whole once; it was changed or cut after it was written`);
      }
      const last = tail.kind === "empty" ? null : tail.last;
      this.checkHeadReach(head, last?.seq ?? 0);
      // A log this process no longer recognises is verified from the start, for the more specific message.
      const { tip, hashes } = await this.verifyChain(head, tail.kind === "torn" ? tail.at : size, held ? this.seen : null, last);
      if (!held) throw this.lost({ log: true, head: head !== null });
      if (this.seen.seq === 0) this.recent.clear();
      this.recent.merge(hashes);
      if (tail.kind === "torn") {
        const report = await this.setAside(handle, tail.at, tail.bytes, tail.last?.seq ?? 0, tail.why);
        onRepair?.(report);
        this.options.onRepair?.(report);
      }
      if (head === null || resign) await this.anchorEmpty();
      return tip;
    } finally {
      await handle.close();
    }
  }

  /** What the head says of the log's end, checked before the chain is read (cheap, and it bounds that read). */
  private checkHeadReach(head: HeadRecord | null, lastSeq: number): void {
    const headName = basename(this.paths.head);
    if (head === null) {
      if (lastSeq > 0) throw new ReceiptLogDamagedError(this.paths.head, `missing while the log holds ${lastSeq} receipt(s), so receipts removed from the end could not be noticed`);
      return;
    }
    if (head.seq > lastSeq) {
      throw new ReceiptLogDamagedError(this.paths.log, `ends at receipt ${lastSeq}, but ${headName} records receipt ${head.seq}; receipts were removed from the end`);
    }
    if (lastSeq - head.seq > MAX_HEAD_LAG) {
      throw new ReceiptLogDamagedError(
        this.paths.head,
        `records receipt ${head.seq}, ${lastSeq - head.seq} receipts behind the log's end (receipt ${lastSeq}); an interrupted append leaves it at most ${MAX_HEAD_LAG} behind, so ${OLDER_HEAD}`,
      );
    }
  }

  /**
   * Verifies the whole receipts in `[from.end, end)` (from the start when `from` is null or at seq
   * 0), going on from `from`'s receipt, and the head against them; `last` is the receipt the end of
   * the log holds. Returns the tip and the hashes verified on the way (for the caller to keep once
   * it accepts the log); throws ReceiptLogDamagedError naming the first receipt that is not as
   * written. Streams: constant memory.
   */
  private async verifyChain(head: HeadRecord | null, end: number, from: SeenTip | null, last: { seq: number; hash: string } | null): Promise<{ tip: ChainTip; hashes: RecentHashes }> {
    const headName = basename(this.paths.head);
    const start = from !== null && from.seq > 0 ? from : null;
    const signer = this.options.signer;
    const hashes = new RecentHashes(this.recent.capacity);
    const verifier = new ChainVerifier({
      // A head at or before where this pass starts is checked below, against what was verified before.
      head: head !== null && head.seq > (start?.seq ?? 0) ? { seq: head.seq, hash: head.hash } : null,
      requireHead: false,
      headLabel: headName,
      ...(start === null ? {} : { start: { seq: start.seq, hash: start.hash } }),
      ...(signer === undefined || head === null ? {} : { ownKey: { signer, after: head.seq } }),
      onReceipt: (facts) => hashes.set(facts.seq, facts.hash),
    });
    // Nothing appended since this process's last receipt (the usual case for a single writer): nothing to read.
    if ((start?.end ?? 0) < end) {
      await scanLines(this.paths.log, (buf, lineStart, lineEnd, at, number) => (at >= end ? false : verifier.line(buf, lineStart, lineEnd, number)), start?.end ?? 0);
    }
    const report = verifier.finish(null);
    if (report.problem !== null) {
      const { kind, line, message } = report.problem;
      // Line numbers count from where this pass started: they name the line only when that is the log's start.
      const where = start === null && line !== null ? `line ${line}: ` : "";
      // Without a public key, verify only notes an unsigned receipt after signed ones.
      const signatures = signer !== undefined && (kind === "unsigned" || kind === "unknown_key" || kind === "bad_signature") ? ` (\`patchwarden receipts verify --public-key receipt-signing.pub\` names it)` : "";
      throw new ReceiptLogDamagedError(this.paths.log, `${where}${message}${signatures}`);
    }
    const tip: ChainTip = { seq: report.lastSeq ?? 0, hash: report.lastHash, end };
    // Under the mutex nothing appends: the pass ends at the receipt the end of the log holds, unless the file was changed meanwhile.
    if (report.tornTail !== null || tip.seq !== (last?.seq ?? 0) || (last !== null && tip.hash !== last.hash)) {
      throw new ReceiptLogDamagedError(this.paths.log, "changed while it was being read; run the command again");
    }
    if (head !== null && head.seq <= (start?.seq ?? 0)) {
      // Behind where this pass started: what this process verified before says what its hash is.
      const anchored = head.seq === 0 ? GENESIS_HASH : head.seq === start?.seq ? start.hash : this.recent.get(head.seq);
      if (anchored === null) {
        throw new ReceiptLogDamagedError(
          this.paths.head,
          `records receipt ${head.seq}, further behind receipt ${start?.seq ?? 0} (which this process read or wrote) than an interrupted append leaves it; ${OLDER_HEAD}`,
        );
      }
      if (anchored !== head.hash) {
        throw new ReceiptLogDamagedError(this.paths.log, `receipt ${head.seq} does not have the hash ${headName} records for it (${head.hash}; it hashes to ${anchored}); the receipt or the head was changed`);
      }
    }
    return { tip, hashes };
  }

  private lost(there: { log: boolean; head: boolean }): ReceiptLogDamagedError {
    const { path, detail } = lostSinceSeen(this.paths, this.seen, there);
    return new ReceiptLogDamagedError(path, detail);
  }

  /** Anchors an empty log before its first append, so that a missing head later means tampering. */
  private async anchorEmpty(): Promise<void> {
    await writeHead(this.paths.head, makeHead(0, EMPTY_HEAD.hash, formatIsoTime(this.clock()), this.options.signer), this.durable);
  }

  /**
   * A signing writer moves only a head it signed itself: signing over a head someone else wrote
   * (after cutting the log, say) would launder the cut. A head written before signing was enabled
   * looks just the same, so it is refused too, for an operator to re-anchor. The one exception is
   * the seq-0 anchor of an empty log, which proves no more than a missing head: returns true for it,
   * to be signed anew. A writer without a key refuses a signed head: the unsigned head it would
   * leave is one no signing writer may move.
   */
  private resignEmptyHead(head: HeadRecord, logBytes: number): boolean {
    const signer = this.options.signer;
    if (signer === undefined) {
      refuseKeylessOverSigned(this.paths.head, head, "append");
      return false;
    }
    const signature = checkHeadSignedBy(head, signer);
    if (signature === "valid") return false;
    if (head.seq === 0 && logBytes === 0) return true;
    const reanchor = `check the log with \`patchwarden receipts verify\`, then accept it with \`patchwarden receipts reanchor --reason TEXT\` run with the key`;
    const why = {
      unsigned: `is not signed, but this process signs with ${signer.keyId}; a head written before signing was enabled cannot be told from one forged after cutting the log, so it is not signed over: ${reanchor}`,
      unknown_key: `is signed by ${head.key_id ?? "?"}, not by ${signer.keyId}, the key this process signs with; after a key rotation, ${reanchor}`,
      invalid: `has a signature that does not verify with ${signer.keyId}; it was changed after it was signed`,
    }[signature];
    throw new ReceiptLogDamagedError(this.paths.head, why);
  }

  private async write(tip: ChainTip, drafts: readonly ReceiptDraft[]): Promise<{ receipts: Receipt[]; tip: ChainTip }> {
    if (drafts.length === 0) return { receipts: [], tip };
    // Validate every draft before writing any: a batch is all or nothing as far as the caller can tell.
    const valid = drafts.map(validateDraft);
    const time = formatIsoTime(this.clock());
    const receipts: Receipt[] = [];
    const lines: string[] = [];
    let seq = tip.seq;
    let prev = tip.hash;
    for (const draft of valid) {
      seq++;
      const sealed = sealReceipt(draft, { seq, time, prev }, this.options.signer);
      receipts.push(sealed.receipt);
      lines.push(sealed.line);
      prev = sealed.receipt.hash;
    }
    let end = tip.end;
    // A long batch goes in parts, each anchored before the next: a crash leaves the head at most one part behind.
    for (let from = 0; from < lines.length; from += MAX_RECEIPTS_PER_WRITE) {
      const part = receipts.slice(from, from + MAX_RECEIPTS_PER_WRITE);
      const bytes = Buffer.from(lines.slice(from, from + MAX_RECEIPTS_PER_WRITE).join(""));
      const created = end === 0 && !(await pathExists(this.paths.log));
      const handle = await open(this.paths.log, "a", 0o640);
      try {
        let written = 0;
        while (written < bytes.length) written += (await handle.write(bytes, written, bytes.length - written)).bytesWritten;
        if (this.durable) await handle.datasync();
      } finally {
        await handle.close();
      }
      if (created && this.durable) await syncFolder(this.paths.dir);
      end += bytes.length;
      for (const receipt of part) this.recent.set(receipt.seq, receipt.hash);
      // Only now, with the receipts on disk, may the anchor move past them.
      const anchor = part.at(-1)!;
      await writeHead(this.paths.head, makeHead(anchor.seq, anchor.hash, time, this.options.signer), this.durable);
    }
    return { receipts, tip: { seq, hash: prev, end } };
  }

  private async setAside(handle: FileHandle, at: number, bytes: number, afterSeq: number, why: string, cause = "left by a crash while appending"): Promise<RepairReport> {
    const torn = Buffer.allocUnsafe(bytes);
    await readFully(handle, torn, at);
    const stamp = formatIsoTime(this.clock()).replace(/[:.]/g, "-");
    let target = join(this.paths.dir, `torn-${stamp}-after-${afterSeq}.jsonl`);
    for (let n = 2; await pathExists(target); n++) target = join(this.paths.dir, `torn-${stamp}-after-${afterSeq}-${n}.jsonl`);
    // The torn bytes are on disk elsewhere before the log lets go of them.
    const out = await open(target, "wx", 0o640);
    try {
      await out.writeFile(torn);
      if (this.durable) await out.sync();
    } finally {
      await out.close();
    }
    await handle.truncate(at);
    if (this.durable) {
      await handle.sync();
      await syncFolder(this.paths.dir);
    }
    return {
      setAside: target,
      bytes,
      afterSeq,
      message: `${this.paths.log}: the final line ${why} (${bytes} bytes after receipt ${afterSeq}, ${cause}); set aside in ${target}; the log now ends at receipt ${afterSeq}`,
    };
  }
}

const MAX_REASON = 2000;

/** The operator's reason and what the log itself adds, shortening the reason (never the note) to fit a receipt. */
function withNote(reason: string, note: string): string {
  if (reason.length + note.length <= MAX_REASON) return `${reason}${note}`;
  return `${reason.slice(0, Math.max(0, MAX_REASON - note.length - 1))}…${note}`;
}

async function openLog(path: string, flags: "r" | "r+"): Promise<FileHandle | null> {
  try {
    return await open(path, flags);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

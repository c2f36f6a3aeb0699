import { constants } from "node:fs";
import { open, rm, truncate, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { syncFolder, writeFileAtomic } from "../fsutil/atomic-write.js";
import type { Job } from "../forgejo/jobs.js";
import { compactionTempPath, compactLog, DEFAULT_COMPACT_THRESHOLD_BYTES, DEFAULT_DEDUPE_WINDOW_MS, type Compaction, type CompactionOptions } from "./compact-log.js";
import { recordContentKey } from "./content-key.js";
import { deliveryRecordSchema, type DeliveryRecord } from "./delivery-record.js";
import { DEFAULT_CHUNK_BYTES, readLines, type LinesRead } from "./read-lines.js";
import { makeFolder } from "../fsutil/make-folder.js";
import { InboxDamagedError } from "./inbox-damaged-error.js";

interface Pending {
  line: string;
  resolve: (span: LineSpan) => void;
  reject: (error: Error) => void;
}

/** Where a line lies in the log: bytes [start, end), its newline included. */
export interface LineSpan {
  start: number;
  end: number;
}

/** Accepted deliveries read back from a stretch of the log (readAccepted). */
export interface AcceptedRead {
  jobs: Array<{ delivery: string; job: Job }>;
  /** Where the first accepted line not returned starts; the stretch's end when every one was. */
  next: number;
  /** Lines in the stretch that are not delivery records, by their offsets. */
  damaged: number[];
}

/** An accepted delivery with no `done` line, by where its accepted line starts in the log. */
export interface UnfinishedDelivery {
  delivery: string;
  start: number;
}

/** Unfinished deliveries read back from the log (readUnfinished). */
export interface UnfinishedRead {
  jobs: Array<{ delivery: string; job: Job }>;
  /** The index in the list of the first one not read; its length when every one was. */
  next: number;
  /** Offsets listed as unfinished where no such accepted line lies (the log was edited or damaged). */
  damaged: number[];
}

/**
 * Evaluations of one delivery that may fail (on the gate's own disk or a bug; Forgejo's failures
 * make a blocked proposal instead) before it is given up: each start runs a failed one again.
 */
export const MAX_EVALUATION_ATTEMPTS = 3;

/** Lines that need not be durable before anyone waits: they ride along with the next flush. */
const LAZY_FLUSH_MS = 100;

export interface RecoveredInbox {
  /** Delivery ids to deduplicate against: every one in the log (after a compaction, the window's and unfinished ones). */
  seen: Set<string>;
  /** Content keys (content-key.ts) of the same deliveries, to recognise a redelivery under a new id; lines of older versions have none. */
  contents: Set<string>;
  /**
   * Accepted deliveries with no `done` line, in log order: evaluate them again (proposal ids make
   * that idempotent). Only where their lines lie, not their jobs: after a crash during a flood these
   * can be many, and the worker reads them back a bounded number at a time (readUnfinished).
   */
  unfinished: UnfinishedDelivery[];
  /** Bytes of a torn final line that were set aside, if any. */
  tornTail: string | null;
  /** What compacting the log on this start did, or null when it was not rewritten. */
  compaction: Compaction | null;
  /** Why a compaction that was due failed; the log is then used whole, as it was. */
  compactionError?: string;
}

/** What the log needs of its open file: a FileHandle has it all, and tests put faults in between. */
export interface InboxFile {
  write(buffer: Buffer, offset: number, length: number): Promise<{ bytesWritten: number }>;
  truncate(length: number): Promise<void>;
  datasync(): Promise<void>;
  stat(): Promise<{ size: number }>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Wraps the opened file (tests inject short writes and failures). */
  wrapFile?: (file: InboxFile) => InboxFile;
  /** Bytes read at a time during recovery (tests use a few, to cut lines across reads). */
  readChunkBytes?: number;
  /** Compact a large log before appending; without it (no clock to judge age by) the log only grows. */
  compaction?: CompactionOptions;
}

/**
 * The inbox: an append-only JSON Lines log of every delivery, durable before the webhook answers.
 * Appends are group-committed: lines that arrive while a write is in flight share the next one, so
 * durability costs one synchronous write per batch, not one per delivery. The file is opened with
 * O_DSYNC, so each write returns only once it is on disk (one operation, not write + fdatasync).
 */
export class DeliveryLog {
  private pending: Pending[] = [];
  private lazy: string[] = [];
  private lazyTimer: NodeJS.Timeout | null = null;
  private flushing = false;
  /** Set when a failed append's bytes could not be removed: nothing may be appended after them. */
  private broken: Error | null = null;

  private constructor(
    private readonly file: InboxFile,
    readonly path: string,
    /** The file's size after the last whole batch: a failed one is cut back to it. */
    private size: number,
  ) {}

  static async open(dataDir: string, options: OpenOptions = {}): Promise<{ log: DeliveryLog; recovered: RecoveredInbox }> {
    const folder = join(dataDir, "inbox");
    await makeFolder(folder);
    const path = join(folder, "deliveries.jsonl");
    // Left by a compaction that crashed before its rename: the log itself is whole either way.
    await rm(compactionTempPath(path), { force: true });
    const recovered = await recover(path, folder, options.readChunkBytes ?? DEFAULT_CHUNK_BYTES, options.compaction);
    const handle: FileHandle = await open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_DSYNC, 0o640);
    const file = options.wrapFile?.(handle) ?? handle;
    try {
      await syncFolder(folder);
      return { log: new DeliveryLog(file, path, (await file.stat()).size), recovered };
    } catch (error) {
      await file.close();
      throw error;
    }
  }

  /** Resolves once the record is on disk (written and fsynced), with where its line lies. */
  append(record: DeliveryRecord): Promise<LineSpan> {
    return new Promise((resolve, reject) => {
      this.pending.push({ line: `${JSON.stringify(record)}\n`, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  /**
   * For lines whose loss costs nothing but a repeat (a job's `done`: the job runs again, and proposal
   * ids make that harmless). Written with the next flush, or within LAZY_FLUSH_MS.
   */
  appendEventually(record: DeliveryRecord): void {
    this.lazy.push(`${JSON.stringify(record)}\n`);
    this.lazyTimer ??= setTimeout(() => {
      this.lazyTimer = null;
      if (!this.flushing && this.lazy.length > 0) void this.flush();
    }, LAZY_FLUSH_MS);
  }

  /**
   * The accepted deliveries among the whole lines in [from, to), in log order, at most `limit` of
   * them: the worker reads back jobs it did not keep in memory (gate-worker.ts). Other records are
   * skipped; a line that is no record is reported, not thrown, so one damaged line cannot stop
   * the jobs after it.
   */
  async readAccepted(from: number, to: number, limit: number): Promise<AcceptedRead> {
    const jobs: AcceptedRead["jobs"] = [];
    const damaged: number[] = [];
    let next = to;
    await this.scanLines(from, to, (line, start) => {
      if (line === "") return true;
      const record = parseRecordOrNull(line);
      if (record === null) damaged.push(start);
      else if (record.type === "accepted") {
        if (jobs.length === limit) {
          // Enough found: read no further.
          next = start;
          return false;
        }
        jobs.push({ delivery: record.delivery, job: record.job });
      }
      return true;
    });
    return { jobs, next, damaged };
  }

  /**
   * The jobs of `unfinished[index]` onward (recovery's list, in log order), at most `limit` of them.
   * A listed line that is not that delivery's accepted record is reported, not thrown, so one
   * damaged line cannot stop the jobs after it.
   */
  async readUnfinished(unfinished: readonly UnfinishedDelivery[], index: number, limit: number): Promise<UnfinishedRead> {
    const jobs: UnfinishedRead["jobs"] = [];
    const damaged: number[] = [];
    let next = index;
    if (next >= unfinished.length || limit <= 0) return { jobs, next, damaged };
    await this.scanLines(unfinished[next]!.start, this.size, (line, start) => {
      // A listed offset that is no line's start (only an edited log has one).
      while (next < unfinished.length && unfinished[next]!.start < start) damaged.push(unfinished[next++]!.start);
      if (next < unfinished.length && unfinished[next]!.start === start) {
        const wanted = unfinished[next++]!;
        const record = parseRecordOrNull(line);
        if (record?.type === "accepted" && record.delivery === wanted.delivery) jobs.push({ delivery: wanted.delivery, job: record.job });
        else damaged.push(start);
      }
      return next < unfinished.length && jobs.length < limit;
    });
    // The log ended before the rest (it was cut): none of them can be read, now or later.
    if (jobs.length < limit) while (next < unfinished.length) damaged.push(unfinished[next++]!.start);
    return { jobs, next, damaged };
  }

  /** Calls visit for every whole line in [from, to) with where it starts, until visit returns false. */
  private async scanLines(from: number, to: number, visit: (line: string, start: number) => boolean): Promise<void> {
    let more = true;
    let lineStart = from;
    const handle = await open(this.path, "r");
    try {
      await readLines(
        // Done: read no further (the rest of the chunk in hand is still split, and skipped).
        (buffer, position) => (!more || position >= to ? Promise.resolve(0) : handle.read(buffer, 0, Math.min(buffer.length, to - position), position).then((r) => r.bytesRead)),
        DEFAULT_CHUNK_BYTES,
        (line, _number, bytes) => {
          const start = lineStart;
          lineStart += bytes.length + 1;
          if (more) more = visit(line, start);
        },
        from,
      );
    } finally {
      await handle.close();
    }
  }

  /** Why every append is refused until a restart (a failed append that could not be cut back), or null. */
  get refusing(): Error | null {
    return this.broken;
  }

  async close(): Promise<void> {
    if (this.lazyTimer !== null) clearTimeout(this.lazyTimer);
    this.lazyTimer = null;
    if (!this.flushing && this.lazy.length > 0) void this.flush();
    while (this.flushing || this.pending.length > 0 || this.lazy.length > 0) await new Promise((resolve) => setTimeout(resolve, 1));
    await this.file.close();
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pending.length > 0 || this.lazy.length > 0) {
        const batch = this.pending;
        const riders = this.lazy;
        this.pending = [];
        this.lazy = [];
        try {
          // Riders of a failed batch are dropped with it: a lost `done` only repeats a job.
          const ridden = riders.join("");
          const start = this.size;
          await this.commit(Buffer.from(ridden + batch.map((entry) => entry.line).join("")));
          let offset = start + Buffer.byteLength(ridden);
          for (const entry of batch) {
            const end = offset + Buffer.byteLength(entry.line);
            entry.resolve({ start: offset, end });
            offset = end;
          }
        } catch (error) {
          for (const entry of batch) entry.reject(error as Error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /** All of the bytes or none: a fragment with lines after it would make recovery refuse the log. */
  private async commit(bytes: Buffer): Promise<void> {
    if (this.broken !== null) throw this.broken;
    try {
      await this.writeAll(bytes);
    } catch (error) {
      await this.cutBack(error as Error);
      throw error;
    }
    this.size += bytes.length;
  }

  /** A write may take only part of the bytes (a disk filling up): keep writing the rest. */
  private async writeAll(bytes: Buffer): Promise<void> {
    let written = 0;
    while (written < bytes.length) {
      const { bytesWritten } = await this.file.write(bytes, written, bytes.length - written);
      // No progress and no error: asking again would spin forever.
      if (bytesWritten <= 0) throw new Error(`${this.path}: the file system took none of the last ${bytes.length - written} bytes of an append; check the disk, then redeliver from Forgejo`);
      written += bytesWritten;
    }
  }

  /** Removes what a failed batch left; when that fails too, the log refuses appends until a restart. */
  private async cutBack(cause: Error): Promise<void> {
    try {
      await this.file.truncate(this.size);
      // O_DSYNC covers writes, not truncation: make the cut as durable as the lines before it.
      await this.file.datasync();
    } catch (error) {
      this.broken = new Error(
        `${this.path}: an append failed (${cause.message}) and its partial bytes could not be removed (${(error as Error).message}); no delivery is accepted until patchwarden serve restarts (recovery keeps whole lines and sets a torn one aside)`,
        { cause: error },
      );
    }
  }
}

/**
 * Reads the log back; a torn final line (a crash mid-write) is moved aside, never silently dropped.
 * Then, if the log is over the threshold, compacts it (before anything is appended).
 */
async function recover(path: string, folder: string, chunkBytes: number, compaction: CompactionOptions | undefined): Promise<RecoveredInbox> {
  const handle = await openForReading(path);
  if (handle === null) return { seen: new Set(), contents: new Set(), unfinished: [], tornTail: null, compaction: null };
  const parse = recordParser(path);
  const seen = new Set<string>();
  const contents = new Set<string>();
  // Where each unfinished delivery's accepted line starts: its job is read back when it is run.
  const accepted = new Map<string, number>();
  const failedAttempts = new Map<string, number>();
  let lineStart = 0;
  let read: LinesRead;
  try {
    read = await readLines((buffer, position) => handle.read(buffer, 0, buffer.length, position).then((r) => r.bytesRead), chunkBytes, (line, number, bytes) => {
      const start = lineStart;
      lineStart += bytes.length + 1;
      if (line === "") return;
      const record = parse(line, number);
      seen.add(record.delivery);
      const content = recordContentKey(record);
      if (content !== null) contents.add(content);
      if (record.type === "accepted") accepted.set(record.delivery, start);
      else if (record.type === "done") {
        // A failed evaluation stays unfinished, to run again at the next start, until it has failed MAX_EVALUATION_ATTEMPTS times.
        const failed = record.failed === true ? (failedAttempts.get(record.delivery) ?? 0) + 1 : MAX_EVALUATION_ATTEMPTS;
        if (failed < MAX_EVALUATION_ATTEMPTS) failedAttempts.set(record.delivery, failed);
        else {
          failedAttempts.delete(record.delivery);
          accepted.delete(record.delivery);
        }
      }
    });
  } finally {
    await handle.close();
  }
  if (read.tail !== null) {
    const aside = join(folder, `deliveries.torn-${Date.now()}.jsonl`);
    // The bytes as they were, so nothing is lost to decoding.
    await writeFileAtomic(aside, read.tail);
    await truncate(path, read.end);
  }
  const unfinished = inLogOrder(accepted);
  const tornTail = read.tail?.toString("utf8") ?? null;
  if (compaction === undefined || read.end <= (compaction.thresholdBytes ?? DEFAULT_COMPACT_THRESHOLD_BYTES)) return { seen, contents, unfinished, tornTail, compaction: null };
  try {
    const compacted = await compactLog(path, {
      unfinished: accepted,
      cutoff: compaction.now - (compaction.windowMs ?? DEFAULT_DEDUPE_WINDOW_MS),
      expectedBytes: read.end,
      chunkBytes,
      parse,
    });
    // The rewrite moved the lines: where they lie now.
    return { seen: compacted.kept, contents: compacted.keptContents, unfinished: inLogOrder(compacted.unfinishedStarts), tornTail, compaction: compacted.compaction };
  } catch (error) {
    // Compaction only saves space and start-up time: a full disk must not keep the gate down.
    // compactLog leaves the old log whole on any failure, so it is used as it is.
    return { seen, contents, unfinished, tornTail, compaction: null, compactionError: (error as Error).message };
  }
}

function inLogOrder(starts: ReadonlyMap<string, number>): UnfinishedDelivery[] {
  // A delivery accepted twice (an edited log) keeps its first place in a Map but its later line.
  return [...starts].map(([delivery, start]) => ({ delivery, start })).sort((a, b) => a.start - b.start);
}

async function openForReading(path: string): Promise<FileHandle | null> {
  try {
    return await open(path, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

function parseRecordOrNull(line: string): DeliveryRecord | null {
  const parsed = deliveryRecordSchema.safeParse(parseJsonOrNull(line));
  return parsed.success ? (parsed.data as DeliveryRecord) : null;
}

/** A reader that cannot go on without every line (recovery, compaction) refuses a damaged one. */
function recordParser(path: string): (line: string, number: number) => DeliveryRecord {
  return (line, number) => {
    const record = parseRecordOrNull(line);
    if (record === null) throw new InboxDamagedError(path, number);
    return record;
  };
}

function parseJsonOrNull(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return null;
  }
}

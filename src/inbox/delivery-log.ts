import { constants } from "node:fs";
import { mkdir, open, readFile, truncate, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { syncFolder, writeFileAtomic } from "../fsutil/atomic-write.js";
import type { Job } from "../forgejo/jobs.js";
import { deliveryRecordSchema, type DeliveryRecord } from "./delivery-record.js";

interface Pending {
  line: string;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** Lines that need not be durable before anyone waits: they ride along with the next flush. */
const LAZY_FLUSH_MS = 100;

export interface RecoveredInbox {
  seen: Set<string>;
  /** Accepted deliveries with no `done` line: evaluate them again (proposal ids make that idempotent). */
  unfinished: Array<{ delivery: string; job: Job }>;
  /** Bytes of a torn final line that were set aside, if any. */
  tornTail: string | null;
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

  private constructor(
    private readonly handle: FileHandle,
    readonly path: string,
  ) {}

  static async open(dataDir: string): Promise<{ log: DeliveryLog; recovered: RecoveredInbox }> {
    const folder = join(dataDir, "inbox");
    await mkdir(folder, { recursive: true });
    const path = join(folder, "deliveries.jsonl");
    const recovered = await recover(path, folder);
    const handle = await open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_DSYNC, 0o640);
    await syncFolder(folder);
    return { log: new DeliveryLog(handle, path), recovered };
  }

  /** Resolves once the record is on disk (written and fsynced). */
  append(record: DeliveryRecord): Promise<void> {
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

  async close(): Promise<void> {
    if (this.lazyTimer !== null) clearTimeout(this.lazyTimer);
    this.lazyTimer = null;
    if (!this.flushing && this.lazy.length > 0) void this.flush();
    while (this.flushing || this.pending.length > 0 || this.lazy.length > 0) await new Promise((resolve) => setTimeout(resolve, 1));
    await this.handle.close();
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
          await this.handle.write(riders.join("") + batch.map((entry) => entry.line).join(""));
          for (const entry of batch) entry.resolve();
        } catch (error) {
          for (const entry of batch) entry.reject(error as Error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}

/** Reads the log back; a torn final line (a crash mid-write) is moved aside, never silently dropped. */
async function recover(path: string, folder: string): Promise<RecoveredInbox> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { seen: new Set(), unfinished: [], tornTail: null };
    throw error;
  }
  let tornTail: string | null = null;
  let end = text.length;
  const lastNewline = text.lastIndexOf("\n");
  if (lastNewline !== text.length - 1) {
    tornTail = text.slice(lastNewline + 1);
    end = lastNewline + 1;
  }
  const seen = new Set<string>();
  const accepted = new Map<string, Job>();
  const lines = text.slice(0, end).split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === "") continue;
    let record: DeliveryRecord;
    try {
      record = deliveryRecordSchema.parse(JSON.parse(line)) as DeliveryRecord;
    } catch {
      throw new Error(`inbox/deliveries.jsonl line ${i + 1} is not a delivery record; the log was edited or damaged, so move it aside and restart (its deliveries will not be deduplicated)`);
    }
    seen.add(record.delivery);
    if (record.type === "accepted") accepted.set(record.delivery, record.job);
    else if (record.type === "done") accepted.delete(record.delivery);
  }
  if (tornTail !== null) {
    const aside = join(folder, `deliveries.torn-${Date.now()}.jsonl`);
    await writeFileAtomic(aside, tornTail);
    await truncate(path, Buffer.byteLength(text.slice(0, end)));
  }
  return { seen, unfinished: [...accepted].map(([delivery, job]) => ({ delivery, job })), tornTail };
}

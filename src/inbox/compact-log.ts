import { open, rename, rm, type FileHandle } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { syncFolder } from "../fsutil/atomic-write.js";
import { recordContentKey } from "./content-key.js";
import type { DeliveryRecord } from "./delivery-record.js";
import { readLines } from "./read-lines.js";

/** 64 MiB: a few hundred thousand deliveries, read in about a second; below it a rewrite is not worth it. */
export const DEFAULT_COMPACT_THRESHOLD_BYTES = 64 * 1024 * 1024;

/** 30 days: Forgejo keeps a delivery for redelivery 7 days by default; the rest is margin. */
export const DEFAULT_DEDUPE_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

export interface CompactionOptions {
  /** epoch ms, from the caller's clock: the dedupe window ends here. */
  now: number;
  /** Compact only a log of more bytes than this (tests pass a few). */
  thresholdBytes?: number;
  /** How long a delivery id (and its content key) is remembered after its first line. */
  windowMs?: number;
}

/** What a rewrite did, for the caller to log (the inbox logs nothing itself). */
export interface Compaction {
  linesKept: number;
  linesDropped: number;
  bytesBefore: number;
  bytesAfter: number;
}

export interface CompactInput {
  /** Ids of accepted deliveries without a `done`: every line of theirs is kept, whatever its age. */
  unfinished: { has(id: string): boolean };
  /** epoch ms: a delivery first recorded before this is forgotten. */
  cutoff: number;
  /** The bytes recovery read as whole lines; anything else means another writer, so nothing is replaced. */
  expectedBytes: number;
  chunkBytes: number;
  parse: (line: string, number: number) => DeliveryRecord;
}

/**
 * One fixed name beside the log: a temp file left by a crash is replaced by the next compaction and
 * removed at the next start (one server per data folder, so no two compactions share it).
 */
export function compactionTempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.compacting`);
}

/**
 * Whether a delivery's lines stay, judged by its first line. Only `accepted` and `ignored` carry
 * `received_at`; a delivery whose time cannot be read is kept, as forgetting it would be unsafe.
 */
export function keepsDelivery(first: DeliveryRecord, unfinished: boolean, cutoff: number): boolean {
  if (unfinished || first.type === "done") return true;
  const received = Date.parse(first.received_at);
  return Number.isNaN(received) || received >= cutoff;
}

/**
 * Rewrites the log with only the lines of the deliveries it keeps, in their order, streaming both
 * ways: temp file, fsync, rename over the log, fsync the folder. A crash at any point leaves the old
 * log or the new one, whole. Returns the kept delivery ids and content keys (the new dedupe sets) and the counts.
 */
export async function compactLog(path: string, input: CompactInput): Promise<Compacted> {
  const temp = compactionTempPath(path);
  const source = await open(path, "r");
  let target: FileHandle | null = null;
  try {
    target = await open(temp, "w", 0o640);
    const result = await copyKeptLines(source, target, input);
    if (result.compaction.bytesBefore !== input.expectedBytes) {
      throw new Error(`${path}: changed while it was being compacted (${result.compaction.bytesBefore} bytes, not ${input.expectedBytes}); stop any other process writing to it, then restart`);
    }
    await target.sync();
    await target.close();
    target = null;
    await rename(temp, path);
    await syncFolder(dirname(path));
    return result;
  } catch (error) {
    await target?.close();
    await rm(temp, { force: true });
    throw error;
  } finally {
    await source.close();
  }
}

interface Compacted {
  kept: Set<string>;
  keptContents: Set<string>;
  /** Where each unfinished delivery's accepted line starts in the rewritten log (its last one, as recovery reads it). */
  unfinishedStarts: Map<string, number>;
  compaction: Compaction;
}

async function copyKeptLines(source: FileHandle, target: FileHandle, input: CompactInput): Promise<Compacted> {
  const kept = new Set<string>();
  const keptContents = new Set<string>();
  // Needed only to tell a dropped delivery's later lines from a delivery's first line.
  const dropped = new Set<string>();
  const unfinishedStarts = new Map<string, number>();
  const out = new ChunkedWriter(target, input.chunkBytes);
  let linesKept = 0;
  let linesDropped = 0;
  const read = await readLines((buffer, position) => source.read(buffer, 0, buffer.length, position).then((r) => r.bytesRead), input.chunkBytes, (line, number, bytes) => {
    // Blank lines hold no delivery; recovery skips them, so the rewrite leaves them out.
    if (line === "") return void linesDropped++;
    const record = input.parse(line, number);
    const id = record.delivery;
    if (!kept.has(id) && !dropped.has(id)) (keepsDelivery(record, input.unfinished.has(id), input.cutoff) ? kept : dropped).add(id);
    if (dropped.has(id)) return void linesDropped++;
    // A kept delivery's content key stays with it: a redelivery under a new id is still recognised.
    const content = recordContentKey(record);
    if (content !== null) keptContents.add(content);
    linesKept++;
    if (record.type === "accepted" && input.unfinished.has(id)) unfinishedStarts.set(id, out.offset);
    return out.add(bytes);
  });
  await out.flush();
  return { kept, keptContents, unfinishedStarts, compaction: { linesKept, linesDropped, bytesBefore: read.end, bytesAfter: out.written } };
}

const NEWLINE = Buffer.from("\n");

/** Kept lines gathered into writes of about a chunk each: few writes, little memory held. */
class ChunkedWriter {
  private parts: Buffer[] = [];
  private size = 0;
  written = 0;

  constructor(
    private readonly file: FileHandle,
    private readonly chunkBytes: number,
  ) {}

  /** Where the next line added will start in the file. */
  get offset(): number {
    return this.written + this.size;
  }

  /** Returns a promise only when it writes, so most lines cost the reader no wait. */
  add(line: Buffer): Promise<void> | undefined {
    // A copy: the reader reuses its buffer for the next chunk.
    this.parts.push(Buffer.from(line), NEWLINE);
    this.size += line.length + 1;
    return this.size >= this.chunkBytes ? this.flush() : undefined;
  }

  async flush(): Promise<void> {
    if (this.size === 0) return;
    const bytes = Buffer.concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    // writeFile on a handle writes all of the bytes at the current position, retrying short writes.
    await this.file.writeFile(bytes);
    this.written += bytes.length;
  }
}

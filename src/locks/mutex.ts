import { createHash, randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { currentProcess, describeHolder, isProcessIdentity, liveness, type ProcessIdentity } from "./process-identity.js";

/**
 * An inter-process mutex on a folder, for short critical sections (a receipt append, a lease
 * decision). Node has no flock, and the usual lock file with "delete it when its owner is dead" has a
 * race: two waiters both judge the holder dead, one deletes the file and takes the lock, then the
 * other deletes *that* file and takes it too.
 *
 * Here the folder holds a numbered series of immutable records (`000000000041`), each saying
 * "held by X" or "free". The newest record is the state. Every transition creates record N+1 with
 * `link()`, which fails if N+1 exists, so of two processes judging the same record N exactly one
 * moves on, whether N was free or held by a dead process. Records are never rewritten, so what a
 * waiter judged cannot change under it. Old records are removed, so a very slow process may
 * recreate a removed number; it then sees a newer record than its own and backs off.
 *
 * The file operations are synchronous: a dozen metadata calls of a few microseconds each, where a
 * thread-pool round trip apiece would cost more than the whole critical section. Waiting is async.
 */

export interface MutexOptions {
  /** How long to wait for a live holder before giving up (default 30 s). */
  timeoutMs?: number;
  /** A holder on another host cannot be checked; it is presumed dead after this long (default 60 s). */
  staleAfterMs?: number;
}

interface MutexRecord {
  state: "held" | "free";
  owner: ProcessIdentity;
  /** epoch ms, by the owner's clock */
  at: number;
}

export class MutexTimeoutError extends Error {
  constructor(
    readonly dir: string,
    readonly holder: ProcessIdentity | null,
    readonly heldSince: number | null,
  ) {
    super(
      `${dir}: still locked by ${holder === null ? "an unknown process" : describeHolder(holder)}${heldSince === null ? "" : ` since ${new Date(heldSince).toISOString()}`}; if that process is stuck, stop it and try again`,
    );
    this.name = "MutexTimeoutError";
  }
}

/** Someone judged this process dead and took the mutex while it was held: mutual exclusion was broken. */
export class MutexLostError extends Error {
  constructor(readonly dir: string) {
    super(`${dir}: the lock was taken over while this process held it (its owner was judged dead); check the clocks and process liveness on this host`);
    this.name = "MutexLostError";
  }
}

export interface HeldMutex {
  /** Returns false when the mutex had been taken over meanwhile (see MutexLostError). */
  release(): Promise<boolean>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_STALE_AFTER_MS = 60_000;
const RECORD_NAME = /^\d{12}$/;
const TEMP_PREFIX = "tmp-";

// Callers in one process queue on a promise rather than polling the file system against themselves.
const localQueues = new Map<string, Promise<void>>();

export async function withMutex<T>(dir: string, body: () => Promise<T>, options: MutexOptions = {}): Promise<T> {
  const held = await acquireMutex(dir, options);
  let result: T;
  try {
    result = await body();
  } catch (error) {
    await held.release();
    throw error;
  }
  if (!(await held.release())) throw new MutexLostError(dir);
  return result;
}

export async function acquireMutex(dir: string, options: MutexOptions = {}): Promise<HeldMutex> {
  const key = resolve(dir);
  const previous = localQueues.get(key) ?? Promise.resolve();
  let leave!: () => void;
  const mine = new Promise<void>((done) => (leave = done));
  const tail = previous.then(() => mine);
  localQueues.set(key, tail);
  let generation: number;
  try {
    await waitLocally(key, previous, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    generation = await acquireRecord(key, options);
  } catch (error) {
    settle(key, tail, leave);
    throw error;
  }
  let released = false;
  return {
    release: async () => {
      if (released) return true;
      released = true;
      try {
        const kept = publish(key, generation + 1, "free");
        collect(key, generation);
        return kept;
      } finally {
        settle(key, tail, leave);
      }
    },
  };
}

async function waitLocally(dir: string, previous: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new MutexTimeoutError(dir, currentProcess(), null)), timeoutMs);
    timer.unref();
  });
  try {
    await Promise.race([previous, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function settle(key: string, tail: Promise<void>, leave: () => void): void {
  if (localQueues.get(key) === tail) localQueues.delete(key);
  leave();
}

async function acquireRecord(dir: string, options: MutexOptions): Promise<number> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  const deadline = Date.now() + timeoutMs;
  ensureFolder(dir);
  let delay = 1;
  for (;;) {
    const newest = newestRecord(dir);
    const record = newest === 0 ? null : readRecord(dir, newest);
    if (record !== "vanished") {
      if (record === null || record.state === "free" || isStale(record, staleAfterMs)) {
        if (publish(dir, newest + 1, "held")) {
          // A removed number may have been recreated by this (slow) process: only the newest record counts.
          if (newestRecord(dir) === newest + 1) return newest + 1;
          removeQuietly(join(dir, recordName(newest + 1)));
        }
        continue; // another process moved first; judge the new state at once
      }
      if (Date.now() >= deadline) throw new MutexTimeoutError(dir, record.owner, record.at);
    }
    await sleep(delay * (0.5 + Math.random()));
    delay = Math.min(delay * 2, 20);
  }
}

function isStale(record: MutexRecord, staleAfterMs: number): boolean {
  if (record.state !== "held") return false;
  const state = liveness(record.owner);
  return state === "dead" || (state === "unknown" && Date.now() - record.at > staleAfterMs);
}

function newestRecord(dir: string): number {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    // The folder was removed under a running process (by hand): an empty folder is a free mutex.
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    mkdirSync(dir, { recursive: true });
    return 0;
  }
  let newest = 0;
  for (const name of names) {
    if (RECORD_NAME.test(name)) newest = Math.max(newest, Number(name));
  }
  return newest;
}

/** null: unreadable (a crash of the whole machine can leave an empty file; nobody alive holds it). */
function readRecord(dir: string, generation: number): MutexRecord | null | "vanished" {
  let text: string;
  try {
    text = readFileSync(join(dir, recordName(generation)), "utf8");
  } catch (error) {
    // Removed by a newer holder's clean-up after we listed the folder: look again.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "vanished";
    throw error;
  }
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    if ((value["state"] === "held" || value["state"] === "free") && isProcessIdentity(value["owner"]) && typeof value["at"] === "number") {
      return value as unknown as MutexRecord;
    }
  } catch {
    // fall through
  }
  return null;
}

/** Creates record `generation` whole, or not at all when it exists (link never replaces). */
function publish(dir: string, generation: number, state: MutexRecord["state"]): boolean {
  const owner = currentProcess();
  const temp = join(dir, `${TEMP_PREFIX}${hostTag(owner.host)}-${owner.pid}-${randomBytes(6).toString("hex")}`);
  const record: MutexRecord = { state, owner, at: Date.now() };
  writeFileSync(temp, JSON.stringify(record), { flag: "wx" });
  try {
    linkSync(temp, join(dir, recordName(generation)));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    removeQuietly(temp);
  }
}

/** Removes records older than `keepFrom` and temp files whose writer died on this host. */
function collect(dir: string, keepFrom: number): void {
  const me = currentProcess();
  const ours = `${TEMP_PREFIX}${hostTag(me.host)}-`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    let remove = false;
    if (RECORD_NAME.test(name)) remove = Number(name) < keepFrom;
    else if (name.startsWith(ours)) {
      const pid = Number(name.slice(ours.length, name.indexOf("-", ours.length)));
      remove = Number.isSafeInteger(pid) && pid !== me.pid && liveness({ pid, host: me.host }) === "dead";
    }
    if (remove) removeQuietly(join(dir, name));
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone: another process cleaned up first
  }
}

const ensured = new Set<string>();

function ensureFolder(dir: string): void {
  if (ensured.has(dir)) return;
  mkdirSync(dir, { recursive: true });
  ensured.add(dir);
}

function hostTag(host: string): string {
  return createHash("sha256").update(host).digest("hex").slice(0, 8);
}

function recordName(generation: number): string {
  return String(generation).padStart(12, "0");
}

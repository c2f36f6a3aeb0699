import { open, readFile, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { withMutex } from "./mutex.js";
import { currentProcess, isProcessIdentity, liveness, type ProcessIdentity } from "./process-identity.js";

export type Holder<T> = ProcessIdentity & T;

export type HolderFileResult<T> = { ok: true; release: () => Promise<void> } | { ok: false; holder: Holder<T> | null };

// A file still empty this long after it was made belongs to a process that died between creating
// and writing it; younger, it may be being written right now.
const UNWRITTEN_GRACE_MS = 10_000;
/** How long a refusal waits for a holder file that another process has just made to be written (20 × 10 ms). */
const WRITING_RETRIES = 20;
const WRITING_RETRY_MS = 10;

/**
 * A file that exists while one process holds something (a proposal's claim, the data folder),
 * naming that process. It is made with O_EXCL, so of two processes at the same instant one wins.
 *
 * A file left by a dead process is replaced, but only inside a mutex on its folder, after reading
 * the holder again there: deleting a "dead" holder's file outside one would let a second process,
 * which judged the same dead holder a moment later, delete the file the first one just made. A
 * holder on another host cannot be checked and is never replaced (fail closed): the caller's
 * refusal says so, and which file to remove once that host is known to run nothing.
 */
export async function takeHolderFile<T extends object>(path: string, fields: T, mode = 0o600): Promise<HolderFileResult<T>> {
  const record: Holder<T> = { ...currentProcess(), ...fields };
  if (await create(path, record, mode)) return held(path);
  return withMutex(join(dirname(path), ".holder-takeover"), async () => {
    const holder = await readHolder<T>(path);
    if (holder === "gone") return (await create(path, record, mode)) ? held(path) : { ok: false, holder: await knownHolder<T>(path) };
    const dead = holder === "unwritten" ? await olderThan(path, UNWRITTEN_GRACE_MS) : liveness(holder) === "dead";
    if (!dead) return { ok: false, holder: holder === "unwritten" ? await knownHolder<T>(path) : holder };
    await rm(path, { force: true });
    return (await create(path, record, mode)) ? held(path) : { ok: false, holder: await knownHolder<T>(path) };
  });
}

function held<T>(path: string): HolderFileResult<T> {
  return { ok: true, release: () => rm(path, { force: true }) };
}

async function create(path: string, record: object, mode: number): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, "wx", mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  try {
    await handle.writeFile(JSON.stringify(record));
    await handle.sync();
  } catch (error) {
    // Not left half-made: an empty holder file would block everyone for UNWRITTEN_GRACE_MS.
    await handle.close().catch(() => {});
    await rm(path, { force: true });
    throw error;
  }
  await handle.close();
  return true;
}

async function readHolder<T>(path: string): Promise<Holder<T> | "gone" | "unwritten"> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "gone";
    throw error;
  }
  try {
    const value: unknown = JSON.parse(text);
    return isProcessIdentity(value) ? (value as Holder<T>) : "unwritten";
  } catch {
    return "unwritten";
  }
}

/**
 * Who holds the file we just failed to create. A process that made it outside the mutex may still
 * be writing it, so an unwritten file is read again for a moment: a refusal should name the winner.
 */
async function knownHolder<T>(path: string): Promise<Holder<T> | null> {
  for (let attempt = 0; ; attempt++) {
    const holder = await readHolder<T>(path);
    if (typeof holder !== "string") return holder;
    if (holder === "gone" || attempt >= WRITING_RETRIES) return null;
    await new Promise((resolve) => setTimeout(resolve, WRITING_RETRY_MS));
  }
}

async function olderThan(path: string, ms: number): Promise<boolean> {
  try {
    return Date.now() - (await stat(path)).mtimeMs > ms;
  } catch {
    return true;
  }
}

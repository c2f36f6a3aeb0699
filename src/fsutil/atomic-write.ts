import { randomBytes } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { makeFolder } from "./make-folder.js";

const knownFolders = new Set<string>();

export interface AtomicWriteOptions {
  mode?: number;
  /**
   * false only for data that can be rebuilt (an index): still whole-or-absent through the rename,
   * but not forced to disk, which keeps fsyncs for what must survive a power cut.
   */
  durable?: boolean;
}

/**
 * Write a whole file or nothing: a temp file beside it, fsync, rename over the target, fsync the
 * folder. A process killed at any instant leaves the old content or the new, never half of one.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const { mode = 0o640, durable = true } = options;
  const folder = dirname(path);
  if (!knownFolders.has(folder)) {
    await makeFolder(folder);
    knownFolders.add(folder);
  }
  // Named after its target and writer, so a temp file left by a crash says whose it was.
  const temp = join(folder, `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const handle = await open(temp, "wx", mode);
  try {
    await handle.writeFile(data);
    if (durable) await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  if (durable) await syncFolder(folder);
}

/** A new or renamed file survives a power loss only once its folder's entry is on disk. */
export async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

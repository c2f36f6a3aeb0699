import { randomBytes } from "node:crypto";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";

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
    await mkdir(folder, { recursive: true });
    knownFolders.add(folder);
  }
  const temp = join(folder, `.${randomBytes(6).toString("hex")}.tmp`);
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
  await rename(temp, path);
  if (durable) await syncFolder(folder);
}

export async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

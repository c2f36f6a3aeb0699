import { randomBytes } from "node:crypto";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError } from "../../cli/errors.js";
import { writeFileAtomic } from "../../fsutil/atomic-write.js";
import { readSmallTextFile } from "../../fsutil/read-bounded.js";
import { makeFolder } from "../../fsutil/make-folder.js";


export const SESSION_KEY_FILE = "review-session-key";

/**
 * The key that signs review sessions, CSRF tokens and flash messages: generated once into the data
 * folder (mode 0600, O_EXCL so two processes agree on one), so sessions survive a restart.
 * Deleting the file signs everyone out.
 */
export async function resolveSessionKey(dataDir: string): Promise<Buffer> {
  const path = join(dataDir, SESSION_KEY_FILE);
  const existing = await readKey(path);
  if (existing !== null) return existing;
  await makeFolder(dataDir, 0o700);
  const key = randomBytes(32);
  try {
    const handle = await open(path, "wx", 0o600);
    try {
      await handle.writeFile(`${key.toString("hex")}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw new ConfigError(`${path}: cannot create the review session key (${(error as Error).message}); make the data folder writable`);
    const raced = await readKey(path);
    if (raced !== null) return raced;
    throw new ConfigError(`${path}: appeared while it was being created but holds no key; delete it and start again`);
  }
}

/** A new key over the old one, whole or not at all: every session, CSRF token and message signed before ends. */
export async function replaceSessionKey(dataDir: string): Promise<Buffer> {
  const key = randomBytes(32);
  await writeFileAtomic(join(dataDir, SESSION_KEY_FILE), `${key.toString("hex")}\n`, { mode: 0o600 });
  return key;
}

async function readKey(path: string): Promise<Buffer | null> {
  let text: string;
  try {
    text = (await readSmallTextFile(path)).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new ConfigError(`${path}: cannot read the review session key (${(error as Error).message}); fix its permissions`);
  }
  if (!/^[0-9a-f]{64}$/.test(text)) throw new ConfigError(`${path}: not a review session key (64 hex digits); delete it to have a new one generated (everyone signs in again)`);
  return Buffer.from(text, "hex");
}

import { randomBytes } from "node:crypto";
import { open, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { describeFsError, readSmallTextFile } from "../fsutil/read-bounded.js";
import { makeFolder } from "../fsutil/make-folder.js";


export const SECRET_FILE = "webhook-secret";

/** Shorter than this, a secret is refused rather than trusted. */
const MIN_SECRET_CHARS = 16;

export type SecretSource = { secret: string; origin: "configured" | "data-folder" | "generated" } | { secret: null; problem: string };

type SecretFile = { kind: "secret"; secret: string } | { kind: "missing" } | { kind: "unusable"; problem: string };

/**
 * The webhook secret: the configured one, else the one generated into the data folder on a first
 * run (mode 0600, printed once by the caller), never a known default. Created with O_EXCL so two
 * processes starting at once agree on one secret.
 */
export async function resolveWebhookSecret(configured: string | undefined, dataDir: string): Promise<SecretSource> {
  if (configured !== undefined) return { secret: configured, origin: "configured" };
  const path = join(dataDir, SECRET_FILE);
  const existing = await readSecret(path);
  if (existing.kind !== "missing") return fromFile(existing);
  try {
    await makeFolder(dataDir, 0o700);
    const secret = randomBytes(32).toString("hex");
    await createSecretFile(path, secret);
    return { secret, origin: "generated" };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      const raced = await readSecret(path);
      if (raced.kind !== "missing") return fromFile(raced);
    }
    return { secret: null, problem: `no webhook secret: PATCHWARDEN_WEBHOOK_SECRET is unset and \`${path}\` could not be created (${describeFsError(error)}); set the variable or make the data folder writable` };
  }
}

function fromFile(file: Exclude<SecretFile, { kind: "missing" }>): SecretSource {
  return file.kind === "secret" ? { secret: file.secret, origin: "data-folder" } : { secret: null, problem: file.problem };
}

/** Written whole or not at all: a file left empty (a full disk) would stop every later start from making one. */
async function createSecretFile(path: string, secret: string): Promise<void> {
  const handle = await open(path, "wx", 0o600);
  try {
    await handle.writeFile(`${secret}\n`);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(path, { force: true }).catch(() => {});
    throw error;
  }
  await handle.close();
}

/**
 * Only a missing file is made anew; one that cannot be read, is too short, or that others can read
 * is the operator's to fix. Others reading it could sign deliveries, so it is refused as the receipt
 * signing key is (receipts/signing.ts), rather than trusted.
 */
async function readSecret(path: string): Promise<SecretFile> {
  let mode: number;
  let text: string;
  try {
    mode = (await stat(path)).mode;
    text = (await readSmallTextFile(path)).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { kind: "missing" };
    return { kind: "unusable", problem: `no webhook secret: PATCHWARDEN_WEBHOOK_SECRET is unset and \`${path}\` cannot be read (${describeFsError(error)}); let the server's user read it, or set the variable` };
  }
  if (text.length < MIN_SECRET_CHARS) {
    // Empty: most likely a first start that crashed or ran out of disk space before writing it.
    const what = text.length === 0 ? "is empty" : `holds fewer than ${MIN_SECRET_CHARS} characters`;
    return { kind: "unusable", problem: `no webhook secret: PATCHWARDEN_WEBHOOK_SECRET is unset and \`${path}\` ${what}; delete it to have a new one generated at the next start, or set the variable` };
  }
  if (process.platform !== "win32" && (mode & 0o077) !== 0) {
    return { kind: "unusable", problem: `no webhook secret: \`${path}\` is readable by others (mode ${(mode & 0o777).toString(8).padStart(4, "0")}); run \`chmod 600 ${path}\` and restart the server (or, if someone may have read it, delete it to have a new one generated, and give that one to Forgejo)` };
  }
  return { kind: "secret", secret: text };
}

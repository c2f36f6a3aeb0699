import { randomBytes } from "node:crypto";
import { mkdir, open, readFile } from "node:fs/promises";
import { join } from "node:path";

export const SECRET_FILE = "webhook-secret";

export type SecretSource = { secret: string; origin: "configured" | "data-folder" | "generated" } | { secret: null; problem: string };

/**
 * The webhook secret: the configured one, else the one generated into the data folder on a first
 * run (mode 0600, printed once by the caller), never a known default. Created with O_EXCL so two
 * processes starting at once agree on one secret.
 */
export async function resolveWebhookSecret(configured: string | undefined, dataDir: string): Promise<SecretSource> {
  if (configured !== undefined) return { secret: configured, origin: "configured" };
  const path = join(dataDir, SECRET_FILE);
  const existing = await readSecret(path);
  if (existing !== null) return { secret: existing, origin: "data-folder" };
  try {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const secret = randomBytes(32).toString("hex");
    const handle = await open(path, "wx", 0o600);
    try {
      await handle.writeFile(`${secret}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return { secret, origin: "generated" };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      const raced = await readSecret(path);
      if (raced !== null) return { secret: raced, origin: "data-folder" };
    }
    return { secret: null, problem: `no webhook secret: PATCHWARDEN_WEBHOOK_SECRET is unset and \`${path}\` could not be created (${(error as Error).message}); set the variable or make the data folder writable` };
  }
}

async function readSecret(path: string): Promise<string | null> {
  try {
    const text = (await readFile(path, "utf8")).trim();
    return text.length >= 16 ? text : null;
  } catch {
    return null;
  }
}

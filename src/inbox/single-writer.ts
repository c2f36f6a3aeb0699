import { open, readFile, rm } from "node:fs/promises";
import { hostname } from "node:os";
import { processAlive } from "../fsutil/process-alive.js";
import { join } from "node:path";

/**
 * One server per data folder: the inbox's dedupe lives in that process's memory. A pid file made
 * with O_EXCL says who holds it; a holder that died on this host is replaced.
 */
export async function claimDataFolder(dataDir: string): Promise<() => Promise<void>> {
  const path = join(dataDir, "inbox", "server.pid");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, "wx", 0o640);
      await handle.writeFile(JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
      await handle.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = await readHolder(path);
      if (attempt === 0 && (holder === null || (holder.host === hostname() && !processAlive(holder.pid)))) {
        await rm(path, { force: true });
        continue;
      }
      throw new Error(`another patchwarden serve (pid ${holder?.pid ?? "?"} on ${holder?.host ?? "?"}, since ${holder?.since ?? "?"}) uses the data folder \`${dataDir}\`; stop it or give this one its own PATCHWARDEN_DATA_DIR`);
    }
  }
  throw new Error(`could not claim the data folder \`${dataDir}\``);
}

async function readHolder(path: string): Promise<{ pid: number; host: string; since: string } | null> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as { pid: number; host: string; since: string };
  } catch {
    return null;
  }
}


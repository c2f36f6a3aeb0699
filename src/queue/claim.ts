import { hostname } from "node:os";
import { processAlive } from "../fsutil/process-alive.js";
import { open, readFile, rm } from "node:fs/promises";

export interface ClaimInfo {
  owner: string;
  pid: number;
  host: string;
  at: string;
}

export type ClaimResult = { ok: true; release: () => Promise<void> } | { ok: false; holder: ClaimInfo | null };

/**
 * An exclusive claim on one proposal, between processes: the file is created with O_EXCL, so of
 * two approvals at the same instant exactly one proceeds. A claim left by a process that died on
 * this host is stale and taken over; a claim from another host is never guessed about.
 */
export async function takeClaim(path: string, owner: string, now: string): Promise<ClaimResult> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const info: ClaimInfo = { owner, pid: process.pid, host: hostname(), at: now };
    try {
      const handle = await open(path, "wx", 0o600);
      try {
        await handle.writeFile(JSON.stringify(info));
        await handle.sync();
      } finally {
        await handle.close();
      }
      return { ok: true, release: () => rm(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = await readClaim(path);
      if (attempt === 0 && holder !== null && holder.host === hostname() && !processAlive(holder.pid)) {
        await rm(path, { force: true });
        continue;
      }
      return { ok: false, holder };
    }
  }
  return { ok: false, holder: await readClaim(path) };
}

async function readClaim(path: string): Promise<ClaimInfo | null> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as ClaimInfo;
  } catch {
    return null;
  }
}


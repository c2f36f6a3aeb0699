import { readFile, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { takeHolderFile, type Holder } from "../locks/holder-file.js";
import { withMutex } from "../locks/mutex.js";
import { currentProcess } from "../locks/process-identity.js";
import { parseIsoTime } from "../time/iso-time.js";

export type ClaimInfo = Holder<{ owner: string; at: string }>;

export type ClaimResult = { ok: true; release: () => Promise<void> } | { ok: false; holder: ClaimInfo | null };

/**
 * How old a claim from another host must be before it is replaced. Its process cannot be checked
 * from here, but an approval holds its claim for seconds: one this old was left by a crash there,
 * or came with a restored backup.
 */
export const FOREIGN_CLAIM_STALE_MS = 10 * 60 * 1000;

// holder-file.ts replaces dead holders inside this mutex; replacing a stale foreign one inside the
// same mutex keeps the two from deleting each other's fresh claim.
const TAKEOVER_MUTEX = ".holder-takeover";

/**
 * An exclusive claim on one proposal, between processes: of two approvals at the same instant
 * exactly one proceeds. A claim left by a process that died on this host is taken over (by one
 * process only); a claim from another host is taken over once FOREIGN_CLAIM_STALE_MS old.
 */
export async function takeClaim(path: string, owner: string, now: string): Promise<ClaimResult> {
  const first = await takeHolderFile(path, { owner, at: now });
  if (first.ok || first.holder === null || first.holder.host === currentProcess().host) return first;
  if (!(await removeStaleForeignClaim(path, first.holder))) return first;
  return takeHolderFile(path, { owner, at: now });
}

/** Why a claimed proposal cannot be handled now, for a refusal: who holds it, and when that ends. */
export function describeClaimHolder(holder: ClaimInfo | null): string {
  if (holder === null) return "";
  const foreign = holder.host !== currentProcess().host;
  return ` by ${holder.owner} (pid ${holder.pid} on ${holder.host}, since ${holder.at}${foreign ? `; a claim from another host is replaced once ${FOREIGN_CLAIM_STALE_MS / 60_000} minutes old` : ""})`;
}

/** Removes the claim file if it still holds `seen` and that is stale; true when the claim may be taken again. */
async function removeStaleForeignClaim(path: string, seen: ClaimInfo): Promise<boolean> {
  return withMutex(join(dirname(path), TAKEOVER_MUTEX), async () => {
    let current: Partial<ClaimInfo>;
    let modifiedMs: number;
    try {
      [current, modifiedMs] = await Promise.all([readFile(path, "utf8").then((text) => JSON.parse(text) as Partial<ClaimInfo>), stat(path).then((s) => s.mtimeMs)]);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return true;
      // Rewritten meanwhile (unreadable for a moment): judge it on the next attempt, not now.
      return false;
    }
    // Another process may have replaced the claim since it was read: only the one judged is removed.
    if (current.pid !== seen.pid || current.host !== seen.host || current.at !== seen.at || current.owner !== seen.owner) return false;
    // The older of its own time and the file's: a restore may reset the mtime, another host's clock may be off.
    const takenMs = Math.min(modifiedMs, (typeof seen.at === "string" ? parseIsoTime(seen.at) : null) ?? modifiedMs);
    if (Date.now() - takenMs <= FOREIGN_CLAIM_STALE_MS) return false;
    await rm(path, { force: true });
    return true;
  });
}

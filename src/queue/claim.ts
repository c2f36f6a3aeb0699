import { takeHolderFile, type Holder } from "../locks/holder-file.js";

export type ClaimInfo = Holder<{ owner: string; at: string }>;

export type ClaimResult = { ok: true; release: () => Promise<void> } | { ok: false; holder: ClaimInfo | null };

/**
 * An exclusive claim on one proposal, between processes: of two approvals at the same instant
 * exactly one proceeds. A claim left by a process that died on this host is taken over (by one
 * process only); a claim from another host is never guessed about.
 */
export async function takeClaim(path: string, owner: string, now: string): Promise<ClaimResult> {
  return takeHolderFile(path, { owner, at: now });
}

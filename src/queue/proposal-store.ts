import { mkdir, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { writeFileAtomic } from "../fsutil/atomic-write.js";
import { takeClaim, type ClaimResult } from "./claim.js";
import { ProposalNotFound } from "./proposal-not-found.js";
import { isWhatIf, proposalFileSchema, type Proposal, type ProposalState, type ProposalUpdate } from "./proposal.js";
import { targetKey } from "./proposal-target.js";

export { ProposalNotFound };


/**
 * The dry-run queue: one JSON file per proposal under `<data>/queue/proposals/`, each written
 * whole or not at all, readable with `cat` and `jq`. An index per (target, bundle) points at the
 * newest proposal, so superseding is one lookup.
 */
export class ProposalStore {
  private readonly proposals: string;
  private readonly index: string;
  private readonly claims: string;

  constructor(readonly dataDir: string) {
    this.proposals = join(dataDir, "queue", "proposals");
    this.index = join(dataDir, "queue", "by-key");
    this.claims = join(dataDir, "queue", "claims");
  }

  async get(id: string): Promise<Proposal | null> {
    if (!/^p_[0-9a-f]{20}$/.test(id)) return null;
    let text: string;
    try {
      text = await readFile(join(this.proposals, `${id}.json`), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
    const parsed = proposalFileSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`queue/proposals/${id}.json is not a valid proposal (${parsed.error.issues[0]?.message ?? "?"}); it was edited by hand`);
    return parsed.data as unknown as Proposal;
  }

  async require(id: string): Promise<Proposal> {
    const proposal = await this.get(id);
    if (proposal === null) throw new ProposalNotFound(id);
    return proposal;
  }

  /** Every proposal, pending first, then newest first. */
  async list(): Promise<Proposal[]> {
    let names: string[];
    try {
      names = await readdir(this.proposals);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const proposals: Proposal[] = [];
    for (const name of names) {
      if (!name.endsWith(".json")) continue;
      const proposal = await this.get(name.slice(0, -".json".length));
      if (proposal !== null) proposals.push(proposal);
    }
    return proposals.sort((a, b) => (a.state === "pending" ? 0 : 1) - (b.state === "pending" ? 0 : 1) || (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : a.id < b.id ? -1 : 1));
  }

  /**
   * Adds a proposal; idempotent, so a job re-run after a crash creates nothing twice. The newest
   * proposal for the same target and bundle supersedes the older pending one.
   * Returns whether it was new and which proposal it superseded, if any.
   */
  async propose(proposal: Proposal, actor: string, now: string): Promise<{ created: boolean; superseded: string | null }> {
    const existing = await this.get(proposal.id);
    if (existing === null) await this.write(proposal);
    const keyFile = join(this.index, `${createHash("sha256").update(supersedeKey(proposal)).digest("hex")}.json`);
    const previousId = await readIndex(keyFile);
    let superseded: string | null = null;
    if (previousId !== null && previousId !== proposal.id) {
      const previous = await this.get(previousId);
      const current = existing ?? proposal;
      if (previous !== null && previous.created_at > current.created_at) {
        // A re-run of an older job: the newer proposal stays, and this one is the superseded one.
        if (await this.transition(proposal.id, ["pending"], "superseded", actor, now, `superseded by ${previous.id}`, { superseded_by: previous.id })) superseded = proposal.id;
        return { created: existing === null, superseded };
      }
      if (previous !== null && (await this.transition(previousId, ["pending"], "superseded", actor, now, `superseded by ${proposal.id}`, { superseded_by: proposal.id }))) superseded = previousId;
    }
    // The index only speeds up superseding and can be rebuilt; a damaged one reads as absent.
    await writeFileAtomic(keyFile, JSON.stringify({ id: proposal.id }), { durable: false });
    return { created: existing === null, superseded };
  }

  /**
   * Moves a proposal from one of `from` to `to`, under its claim so it cannot race an approval.
   * Returns false when it is not in an expected state or another process holds it.
   */
  async transition(id: string, from: readonly ProposalState[], to: ProposalState, actor: string, now: string, reason?: string, extra: ProposalUpdate = {}): Promise<boolean> {
    const claim = await this.claim(id, actor, now);
    if (!claim.ok) return false;
    try {
      return await this.transitionHeld(id, from, to, actor, now, reason, extra);
    } finally {
      await claim.release();
    }
  }

  /** As `transition`, for a caller that already holds the claim (approve). */
  async transitionHeld(id: string, from: readonly ProposalState[], to: ProposalState, actor: string, now: string, reason?: string, extra: ProposalUpdate = {}): Promise<boolean> {
    const proposal = await this.get(id);
    if (proposal === null || !from.includes(proposal.state)) return false;
    const event = reason === undefined ? { state: to, at: now, actor } : { state: to, at: now, actor, reason };
    await this.write({ ...proposal, ...extra, state: to, history: [...proposal.history, event] });
    return true;
  }

  async claim(id: string, owner: string, now: string): Promise<ClaimResult> {
    await mkdir(this.claims, { recursive: true });
    return takeClaim(join(this.claims, `${id}.claim`), owner, now);
  }

  async update(proposal: Proposal): Promise<void> {
    await this.write(proposal);
  }

  private async write(proposal: Proposal): Promise<void> {
    await writeFileAtomic(join(this.proposals, `${proposal.id}.json`), `${JSON.stringify(proposal, null, 2)}\n`);
  }
}

/** A newer verdict on the same bundle, or a newer what-if of the same policy file, for the same target. */
function supersedeKey(proposal: Proposal): string {
  if (isWhatIf(proposal)) return `${targetKey(proposal.target)}\u0000what-if\u0000${proposal.what_if.path}`;
  return `${targetKey(proposal.target)}\u0000${proposal.bundle_digest ?? proposal.origin}`;
}

async function readIndex(path: string): Promise<string | null> {
  try {
    return (JSON.parse(await readFile(path, "utf8")) as { id: string }).id;
  } catch {
    return null;
  }
}

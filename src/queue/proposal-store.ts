import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { writeFileAtomic } from "../fsutil/atomic-write.js";
import { describeFsError } from "../fsutil/read-bounded.js";
import { takeClaim, type ClaimResult } from "./claim.js";
import { ProposalNotFound } from "./proposal-not-found.js";
import { isProposalId, isWhatIf, proposalFileSchema, type Proposal, type ProposalState, type ProposalUpdate } from "./proposal.js";
import { targetKey } from "./proposal-target.js";
import { QueueDataError } from "./queue-data-error.js";
import { makeFolder } from "../fsutil/make-folder.js";
import { withMutex } from "../locks/mutex.js";

export { ProposalNotFound };

/**
 * How long a newer proposal waits for the claim on the older one it supersedes. An approval holds
 * it for seconds, at worst about a minute when Forgejo is slow (a look-up retried, then the post).
 */
export const SUPERSEDE_WAIT_MS = 60_000;

export interface ProposalStoreOptions {
  /** Default SUPERSEDE_WAIT_MS. */
  supersedeWaitMs?: number;
}

/** The proposals that could be read, and a QueueDataError for each file that could not. */
export interface QueueScan {
  proposals: Proposal[];
  damaged: QueueDataError[];
}

/** A proposal replaced by a newer one for the same target and bundle. */
export interface Superseding {
  id: string;
  by: string;
}

/**
 * The dry-run queue: one JSON file per proposal under `<data>/queue/proposals/`, each written
 * whole or not at all, readable with `cat` and `jq`. An index per (target, bundle) points at the
 * newest proposal, so superseding is one lookup. It only ever moves to a newer proposal, and is
 * written durably before that proposal's file: a proposal it does not name has a newer one, or
 * the index is lost, and then the queue is read.
 */
export class ProposalStore {
  private readonly proposals: string;
  private readonly index: string;
  /** Held while an index is read again and moved, so two processes cannot both move it (the last over the newer). */
  private readonly indexLock: string;
  private readonly claims: string;
  private readonly supersedeWaitMs: number;

  constructor(
    readonly dataDir: string,
    options: ProposalStoreOptions = {},
  ) {
    this.proposals = join(dataDir, "queue", "proposals");
    this.index = join(dataDir, "queue", "by-key");
    this.indexLock = join(dataDir, "queue", "by-key.lock");
    this.claims = join(dataDir, "queue", "claims");
    this.supersedeWaitMs = options.supersedeWaitMs ?? SUPERSEDE_WAIT_MS;
  }

  /** The proposal, or null when there is none (an id of the wrong form names none); a damaged file is a QueueDataError. */
  async get(id: string): Promise<Proposal | null> {
    if (!isProposalId(id)) return null;
    const path = join(this.proposals, `${id}.json`);
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw new QueueDataError(path, `cannot be read (${describeFsError(error)}); fix its owner or permissions`);
    }
    return parseProposalFile(path, text);
  }

  async require(id: string): Promise<Proposal> {
    const proposal = await this.get(id);
    if (proposal === null) throw new ProposalNotFound(id);
    return proposal;
  }

  /** Every proposal, pending first, then newest first; throws the first damaged file's QueueDataError. */
  async list(): Promise<Proposal[]> {
    const { proposals, damaged } = await this.scan();
    if (damaged.length > 0) throw damaged[0]!;
    return proposals;
  }

  /** As `list`, but a damaged file does not hide the others: it is returned beside them. */
  async scan(): Promise<QueueScan> {
    let names: string[];
    try {
      names = await readdir(this.proposals);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return { proposals: [], damaged: [] };
      // The data folder itself is checked by the CLI; this is its queue folder, damaged or with the wrong owner.
      if (code === "ENOTDIR") throw new QueueDataError(this.proposals, "is not a folder (a part of the path is a file); the data folder was changed by hand: move that file aside, or restore the folder from a backup");
      throw new QueueDataError(this.proposals, `cannot be read (${describeFsError(error)}); fix its owner or permissions`);
    }
    const proposals: Proposal[] = [];
    const damaged: QueueDataError[] = [];
    for (const name of names.sort()) {
      if (!name.endsWith(".json")) continue;
      try {
        const proposal = await this.get(name.slice(0, -".json".length));
        if (proposal !== null) proposals.push(proposal);
      } catch (error) {
        if (!(error instanceof QueueDataError)) throw error;
        damaged.push(error);
      }
    }
    proposals.sort((a, b) => (a.state === "pending" ? 0 : 1) - (b.state === "pending" ? 0 : 1) || (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : a.id < b.id ? -1 : 1));
    return { proposals, damaged };
  }

  /**
   * Adds a proposal; idempotent, so a job re-run after a crash creates nothing twice. The newest
   * proposal for the same target and bundle supersedes the older pending one.
   * Returns whether it was new and, when one was superseded, which and by which: the new one, or
   * for a re-run of an older job the new one itself, by the newer one already queued.
   * `signal` (the server stopping) ends the wait for the older proposal's claim: it then throws
   * before anything is written, and the job is run again on the next start.
   */
  async propose(proposal: Proposal, actor: string, now: string, options: { signal?: AbortSignal } = {}): Promise<{ created: boolean; superseded: Superseding | null }> {
    const existing = await this.get(proposal.id);
    const created = existing === null;
    const current = existing ?? proposal;
    const keyFile = this.keyFile(proposal);
    for (;;) {
      const seen = await readIndex(keyFile);
      const previous = await this.previousOf(current, seen);
      if (previous !== null && previous.created_at > current.created_at) return this.proposeOlder(proposal, created, previous, actor, now);
      // The older proposal's claim is held while the newer one is written: an approval of the older
      // one either finished first (and posted before the newer existed) or starts after and finds it
      // superseded. Past the wait, the approval finds the index moved and supersedes it then.
      const claim = previous === null ? null : await this.claimWithin(previous.id, actor, now, this.supersedeWaitMs, options.signal);
      try {
        const done = await withMutex(this.indexLock, async () => {
          // Another process may have queued a proposal for this key while this one waited: decide again.
          if (!sameEntry(await readIndex(keyFile), seen)) return null;
          return this.proposeNewest(proposal, { created, previous, held: claim?.ok === true, keyFile, named: seen.id }, actor, now);
        });
        if (done !== null) return done;
      } finally {
        if (claim?.ok === true) await claim.release();
      }
    }
  }

  /**
   * The proposal for the same target and bundle that supersedes this one: the one the index names,
   * when it is another and not older; when the index is missing, damaged or names a proposal that
   * is not there, the newest one found by reading the queue. Null when this one is still the newest.
   */
  async supersedingProposal(proposal: Proposal): Promise<Proposal | null> {
    const entry = await readIndex(this.keyFile(proposal));
    // Written durably before the file of any proposal it names: naming this one, no newer one exists.
    if (entry.id === proposal.id) return null;
    const indexed = entry.id === null ? null : await this.getReadable(entry.id);
    if (indexed !== null) return indexed.created_at >= proposal.created_at ? indexed : null;
    const newest = await this.newestByScan(proposal);
    return newest !== null && isNewer(newest, proposal) ? newest : null;
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

  /** The claim on one proposal (see claim.ts); an id of the wrong form is no proposal, and names no file. */
  async claim(id: string, owner: string, now: string): Promise<ClaimResult> {
    if (!isProposalId(id)) throw new ProposalNotFound(id);
    await makeFolder(this.claims);
    return takeClaim(join(this.claims, `${id}.claim`), owner, now);
  }

  async update(proposal: Proposal): Promise<void> {
    await this.write(proposal);
  }

  private async write(proposal: Proposal): Promise<void> {
    await writeFileAtomic(join(this.proposals, `${proposal.id}.json`), `${JSON.stringify(proposal, null, 2)}\n`);
  }

  /** The newest other proposal for the key, as the index leads to it: none while there is no index yet. */
  private async previousOf(proposal: Proposal, entry: IndexEntry): Promise<Proposal | null> {
    // Every proposal's index is written before its file: no index, no proposal for this key.
    if (entry.absent || entry.id === proposal.id) return null;
    const indexed = entry.id === null ? null : await this.getReadable(entry.id);
    return indexed ?? (await this.newestByScan(proposal));
  }

  /** A re-run of an older job: the newer proposal stays, and this one is the superseded one. */
  private async proposeOlder(proposal: Proposal, created: boolean, newer: Proposal, actor: string, now: string): Promise<{ created: boolean; superseded: Superseding | null }> {
    if (created) await this.write(proposal);
    const superseded = await this.transition(proposal.id, ["pending"], "superseded", actor, now, `superseded by ${newer.id}`, { superseded_by: newer.id });
    return { created, superseded: superseded ? { id: proposal.id, by: newer.id } : null };
  }

  /** Under the index lock, with the index as `named` left it: this proposal becomes the key's newest. */
  private async proposeNewest(proposal: Proposal, step: { created: boolean; previous: Proposal | null; held: boolean; keyFile: string; named: string | null }, actor: string, now: string): Promise<{ created: boolean; superseded: Superseding | null }> {
    // The index first, and durably: a crash before the file leaves it naming a proposal that is not
    // there (then looked for by reading the queue), never the older one beside the newer.
    if (step.named !== proposal.id) await writeFileAtomic(step.keyFile, JSON.stringify({ id: proposal.id }));
    if (step.created) await this.write(proposal);
    const { previous } = step;
    if (previous === null || !step.held) return { created: step.created, superseded: null };
    const superseded = await this.transitionHeld(previous.id, ["pending"], "superseded", actor, now, `superseded by ${proposal.id}`, { superseded_by: proposal.id });
    return { created: step.created, superseded: superseded ? { id: previous.id, by: proposal.id } : null };
  }

  /**
   * The newest other readable proposal for the same target and bundle, by reading every proposal:
   * only where the index cannot say (lost, damaged, or a crash between it and the file), so its
   * cost is paid after a fault, not on every approval.
   */
  private async newestByScan(proposal: Proposal): Promise<Proposal | null> {
    const key = supersedeKey(proposal);
    let newest: Proposal | null = null;
    for (const other of (await this.scan()).proposals) {
      if (other.id !== proposal.id && supersedeKey(other) === key && (newest === null || isNewer(other, newest))) newest = other;
    }
    return newest;
  }

  private keyFile(proposal: Proposal): string {
    return join(this.index, `${createHash("sha256").update(supersedeKey(proposal)).digest("hex")}.json`);
  }

  /** For superseding: a damaged file can be neither superseded nor supersede; `queue list` reports it. */
  private async getReadable(id: string): Promise<Proposal | null> {
    try {
      return await this.get(id);
    } catch (error) {
      if (error instanceof QueueDataError) return null;
      throw error;
    }
  }

  /** The claim, waiting up to `waitMs` for a holder to finish; an abort of `signal` throws its reason, holding nothing. */
  private async claimWithin(id: string, owner: string, now: string, waitMs: number, signal?: AbortSignal): Promise<ClaimResult> {
    const deadline = Date.now() + waitMs;
    for (let delay = 10; ; delay = Math.min(delay * 2, 250)) {
      signal?.throwIfAborted();
      const claim = await this.claim(id, owner, now);
      if (claim.ok || Date.now() >= deadline) return claim;
      await sleep(Math.min(delay, Math.max(deadline - Date.now(), 0)), undefined, signal === undefined ? {} : { signal });
    }
  }
}

/** A newer verdict on the same bundle, or a newer what-if of the same policy file, for the same target. */
function supersedeKey(proposal: Proposal): string {
  if (isWhatIf(proposal)) return `${targetKey(proposal.target)}\u0000what-if\u0000${proposal.what_if.path}`;
  return `${targetKey(proposal.target)}\u0000${proposal.bundle_digest ?? proposal.origin}`;
}

/** The index file of one key: whether there is one, and the proposal id it names (null: damaged or unreadable). */
interface IndexEntry {
  absent: boolean;
  id: string | null;
}

async function readIndex(path: string): Promise<IndexEntry> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    return { absent: (error as NodeJS.ErrnoException).code === "ENOENT", id: null };
  }
  try {
    const id = (JSON.parse(text) as { id?: unknown }).id;
    return { absent: false, id: typeof id === "string" && isProposalId(id) ? id : null };
  } catch {
    return { absent: false, id: null };
  }
}

function sameEntry(a: IndexEntry, b: IndexEntry): boolean {
  return a.absent === b.absent && a.id === b.id;
}

/** Made later, or at the same instant with the greater id: a total order, for when no index decides. */
function isNewer(a: Proposal, b: Proposal): boolean {
  return a.created_at > b.created_at || (a.created_at === b.created_at && a.id > b.id);
}

/** A proposal file's text → the proposal; a file cut short or edited into another shape is a QueueDataError. */
function parseProposalFile(path: string, text: string): Proposal {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const detail = (error as Error).message.replace(/^./, (c) => c.toLowerCase());
    throw new QueueDataError(path, `is not valid JSON (${detail}); it was cut short or edited by hand: restore it from a backup, or fix it by hand`);
  }
  // Checked against the one shape its `subject` names, so the problem is said at its field.
  const [verdictFile, whatIfFile] = proposalFileSchema.options;
  const isWhatIfFile = typeof value === "object" && value !== null && (value as { subject?: unknown }).subject === "policy_what_if";
  const parsed = (isWhatIfFile ? whatIfFile : verdictFile).safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? "" : ` at \`${issue.path.join(".")}\``;
    const problem = issue === undefined ? "?" : issue.message.replace(/^./, (c) => c.toLowerCase());
    throw new QueueDataError(path, `is not a valid proposal${where} (${problem}); it was edited by hand: restore it from a backup, or fix it by hand`);
  }
  return parsed.data as unknown as Proposal;
}

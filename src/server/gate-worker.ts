import { setTimeout as sleep } from "node:timers/promises";
import type { OutputMode } from "../config/server-config.js";
import { changedFilesOnce } from "../forgejo/changed-files-once.js";
import { fetchEvidence, type FetchOptions } from "../forgejo/fetch-evidence.js";
import { fetchPolicyChanges } from "../forgejo/fetch-policy-changes.js";
import { describeJob, type Job } from "../forgejo/jobs.js";
import type { ForgejoReader } from "../forgejo/reader.js";
import { MAX_EVALUATION_ATTEMPTS, type DeliveryLog, type LineSpan, type UnfinishedDelivery } from "../inbox/delivery-log.js";
import { checkRecoveredJob } from "../inbox/recovered-job.js";
import type { Logger } from "../observability/logger.js";
import type { PolicyHolder } from "../policy/policy-holder.js";
import type { EvidenceStore } from "../queue/evidence-store.js";
import type { ProposalStore } from "../queue/proposal-store.js";
import { proposeVerdict, RecordedPostChangedError, type ProposeDeps } from "../queue/propose-verdict.js";
import { proposeWhatIf, type WhatIfDeps } from "../queue/propose-what-if.js";
import { formatIsoTime } from "../time/iso-time.js";

export interface WorkerDeps {
  reader: ForgejoReader;
  policy: PolicyHolder;
  evidence: EvidenceStore;
  proposals: ProposalStore;
  inbox: Pick<DeliveryLog, "appendEventually">;
  log: Logger;
  now: () => number;
  outputs: ReadonlySet<OutputMode>;
  printLine: (line: string) => void;
  fetch: FetchOptions;
  /** Policy files whose changes get a what-if proposal. */
  policyGlobs: readonly string[];
  /** The data folder the what-ifs replay. */
  dataDir: string;
  /** The trust layer's hooks for one job; `recovered` jobs may have recorded receipts before a crash. */
  hooks?: (job: { recovered: boolean }) => Pick<ProposeDeps, "adjustVerdict" | "record" | "recorded" | "onSuperseded" | "onEvaluated">;
  whatIfHooks?: (job: { recovered: boolean }) => Pick<WhatIfDeps, "record" | "onSuperseded" | "recordedThroughSeq">;
  /** Told about every finished job (metrics). */
  onJobDone?: (job: Job, proposals: number, failed: boolean) => void;
  /** performance.now() of the last delivery received, so evaluation can yield to a burst of intake. */
  lastDeliveryAt?: () => number;
  /** The longest a job waits for a quiet moment (default DEFAULT_MAX_DEFER_MS). */
  maxDeferMs?: number;
  /** Reads back accepted jobs not kept in memory; without it every job is kept (see enqueue). */
  readAccepted?: DeliveryLog["readAccepted"];
  /** Reads back jobs recovered at a start (enqueueRecovered), which are not kept in memory either. */
  readUnfinished?: DeliveryLog["readUnfinished"];
  /** Jobs kept in memory at most (default DEFAULT_MAX_QUEUED). */
  maxQueued?: number;
}

/**
 * Jobs kept in memory at most. A burst of deliveries is accepted far faster than it is evaluated
 * (thousands a second against under a hundred), and each held job costs a few hundred bytes:
 * past this many, jobs wait in the inbox, where they already are, and are read back in order.
 */
export const DEFAULT_MAX_QUEUED = 1_000;

/** What an operator can do to have a delivery judged whose job was lost: Forgejo's Redeliver sends a duplicate. */
const ASK_AGAIN = "gate label, `/patchwarden check` or a new push";

/** After a failed read-back, the next try waits this long. */
const READ_BACK_RETRY_MS = 5_000;

/**
 * Accepted jobs that wait in the inbox only: the accepted lines in [from, through) of the log.
 * Every job accepted after the first of them is here too, so log order stays run order, and a line
 * in the stretch is never also in memory.
 */
interface Spilled {
  from: number;
  through: number;
  count: number;
  /** performance.now() when the stretch's first job was left there: read-back jobs wait for a quiet moment from then, not from their read-back. */
  since: number;
}

/** Jobs recovered at a start, not yet read back: they run before any job accepted since. */
interface Recovered {
  unfinished: readonly UnfinishedDelivery[];
  /** The index of the first not yet read back. */
  next: number;
  since: number;
}

/** Evaluation waits for this much quiet after a delivery… */
const QUIET_MS = 25;
/**
 * …but no job waits longer than this for it. Evaluating beside a burst costs the webhook its
 * latency (measured: p99 from under 10 ms to over 60 ms at 1,000 deliveries/s, the disk being
 * shared), while a verdict proposal half a minute late harms no one: it waits for a human anyway.
 */
export const DEFAULT_MAX_DEFER_MS = 30_000;

/**
 * Evaluates accepted deliveries after the webhook has answered, one at a time and in arrival
 * order (so superseding is never a race). A job that throws is logged and marked done as failed,
 * with a note: it is not retried in this run, and the next start runs it again, up to
 * MAX_EVALUATION_ATTEMPTS in all. Nothing a job does escapes run(): an unhandled rejection would end the
 * process, and a recovered job would end it again on every start.
 */
export class GateWorker {
  private readonly queue: Array<{ delivery: string; job: Job; queuedAt: number; recovered: boolean; fromLog?: true }> = [];
  private spilled: Spilled | null = null;
  private recovered: Recovered | null = null;
  private running = false;
  private underWay = false;
  // Aborted by stop(): a job waiting for an older proposal's claim gives up.
  private readonly stopping = new AbortController();
  private waiters: Array<() => void> = [];

  constructor(private readonly deps: WorkerDeps) {}

  /** Jobs not yet finished: in memory, under way, and waiting in the inbox. */
  get backlog(): number {
    return this.queue.length + (this.underWay ? 1 : 0) + (this.spilled?.count ?? 0) + (this.recovered === null ? 0 : this.recovered.unfinished.length - this.recovered.next);
  }

  /** Jobs held in memory (at most maxQueued, besides those given with enqueue(…, recovered = true)). */
  get held(): number {
    return this.queue.length;
  }

  /**
   * `recovered`: accepted before a crash and not finished; its receipts may already be written.
   * `span`: where the job's accepted line lies in the inbox; a job with one may be left there when
   * maxQueued jobs are held, and read back when they are done. Jobs must come in log order.
   */
  enqueue(delivery: string, job: Job, recovered = false, span?: LineSpan): void {
    // After stop() a job stays what the inbox says it is, accepted and unfinished: the next start runs it.
    if (this.stopping.signal.aborted) return;
    if (span !== undefined && this.deps.readAccepted !== undefined && (this.spilled !== null || this.recovered !== null || this.queue.length >= this.maxQueued)) {
      this.spilled ??= { from: span.start, through: span.end, count: 0, since: performance.now() };
      this.spilled.through = span.end;
      this.spilled.count++;
    } else {
      this.queue.push({ delivery, job, queuedAt: performance.now(), recovered });
    }
    if (!this.running) void this.run();
  }

  /**
   * Jobs accepted before a restart and not finished (DeliveryLog recovery), by where their lines
   * lie: read back maxQueued at a time, so a crash during a flood costs no more memory at the next
   * start than the flood did. Call it before any enqueue: they run first, in log order.
   */
  enqueueRecovered(unfinished: readonly UnfinishedDelivery[]): void {
    if (this.stopping.signal.aborted || unfinished.length === 0) return;
    // Jobs accepted meanwhile must wait in the inbox too, or they would run before older ones.
    if (this.deps.readUnfinished === undefined || this.deps.readAccepted === undefined) throw new Error("GateWorker.enqueueRecovered needs deps.readUnfinished and deps.readAccepted");
    if (this.recovered !== null || this.spilled !== null || this.queue.length > 0) throw new Error("GateWorker.enqueueRecovered must come before any other job");
    this.recovered = { unfinished, next: 0, since: performance.now() };
    if (!this.running) void this.run();
  }

  private get maxQueued(): number {
    // At least one, or a read-back would take nothing and never move on.
    return Math.max(1, this.deps.maxQueued ?? DEFAULT_MAX_QUEUED);
  }

  /** Resolves when every queued job is done (tests; shutdown uses stop()). */
  idle(): Promise<void> {
    if (!this.running && this.queue.length === 0 && this.spilled === null && this.recovered === null) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * Shutdown: finishes the job under way and runs no other. A backlog can take minutes to evaluate
   * and systemd kills a stop that outlasts TimeoutStopSec; every job not run stays accepted and
   * unfinished in the inbox, and the next start runs it. A job waiting for an older proposal's
   * claim (an approval holds it, up to SUPERSEDE_WAIT_MS) gives up and stays unfinished too: it
   * is run again on the next start, which proposal ids make harmless.
   */
  stop(): Promise<void> {
    this.stopping.abort();
    this.queue.length = 0;
    // Jobs left in the inbox stay there, accepted and unfinished, for the next start.
    this.spilled = null;
    this.recovered = null;
    return this.idle();
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0 || this.spilled !== null || this.recovered !== null) {
        if (this.stopping.signal.aborted) break;
        if (this.queue.length === 0) {
          // Recovered jobs are older than any spilled one.
          await (this.recovered !== null ? this.readRecovered(this.recovered) : this.readBack(this.spilled!));
          continue;
        }
        await this.yieldToIntake(this.queue[0]!.queuedAt);
        if (this.stopping.signal.aborted) break;
        const { delivery, job, recovered, fromLog } = this.queue.shift()!;
        this.underWay = true;
        try {
          await this.processSafely(delivery, job, recovered, fromLog === true);
        } finally {
          this.underWay = false;
        }
      }
    } finally {
      this.running = false;
      for (const resolve of this.waiters.splice(0)) resolve();
    }
  }

  /**
   * The next maxQueued jobs left in the inbox, into memory. Jobs accepted meanwhile extend the
   * stretch; it is done once read through to its end. A failed read is retried: the jobs stay
   * accepted and unfinished in the inbox, so even a stop loses none of them.
   */
  private async readBack(spilled: Spilled): Promise<void> {
    const { log } = this.deps;
    try {
      const read = await this.deps.readAccepted!(spilled.from, spilled.through, this.maxQueued);
      // Stopped meanwhile: the jobs stay in the inbox for the next start, none is held.
      if (this.stopping.signal.aborted) return;
      for (const offset of read.damaged) log.error("inbox.read_back_damaged", { offset, message: `an inbox line is not a delivery record; its job, if any, is not run (a redelivery of it is answered as a duplicate): ask for the check again (${ASK_AGAIN}), and check the disk` });
      for (const { delivery, job } of read.jobs) this.queue.push({ delivery, job, queuedAt: spilled.since, recovered: false, fromLog: true });
      spilled.from = read.next;
      // A damaged line was a job left here too (or never was one): either way it no longer waits.
      spilled.count = Math.max(0, spilled.count - read.jobs.length - read.damaged.length);
      if (spilled.from >= spilled.through) this.spilled = null;
    } catch (error) {
      log.error("inbox.read_back_failed", { from: spilled.from, error: (error as Error).message, message: `the jobs waiting in the inbox are read again in ${READ_BACK_RETRY_MS / 1000} s; a restart runs them too` });
      // A stop ends the wait; the jobs stay in the inbox for the next start.
      await sleep(READ_BACK_RETRY_MS, undefined, { signal: this.stopping.signal }).catch(() => {});
    }
  }

  /** The next maxQueued recovered jobs, into memory; a failed read is retried, as in readBack. */
  private async readRecovered(recovered: Recovered): Promise<void> {
    const { log } = this.deps;
    try {
      const read = await this.deps.readUnfinished!(recovered.unfinished, recovered.next, this.maxQueued);
      if (this.stopping.signal.aborted) return;
      for (const offset of read.damaged) log.error("inbox.read_back_damaged", { offset, message: `an inbox line is not the delivery record recovery found there; its job is not run (a redelivery of it is answered as a duplicate): ask for the check again (${ASK_AGAIN}), and check the disk` });
      for (const { delivery, job } of read.jobs) this.queue.push({ delivery, job, queuedAt: recovered.since, recovered: true });
      recovered.next = read.next;
      if (recovered.next >= recovered.unfinished.length) this.recovered = null;
    } catch (error) {
      log.error("inbox.read_back_failed", { from: recovered.unfinished[recovered.next]?.start, error: (error as Error).message, message: `the jobs recovered at start are read again in ${READ_BACK_RETRY_MS / 1000} s; a restart runs them too` });
      await sleep(READ_BACK_RETRY_MS, undefined, { signal: this.stopping.signal }).catch(() => {});
    }
  }

  /** One job, whatever it throws: logged, and the queue moves on. */
  private async processSafely(delivery: string, job: Job, recovered: boolean, fromLog: boolean): Promise<void> {
    try {
      // Fresh jobs come typed from classifyDelivery; recovered and read-back ones from a log line, so they are checked.
      const checked = recovered || fromLog ? checkRecoveredJob(job) : { ok: true as const, job };
      if (checked.ok) await this.process(delivery, checked.job, recovered);
      else this.skipInvalid(delivery, job, checked.problem);
    } catch (error) {
      this.deps.log.error("job.crashed", { delivery, error: (error as Error).message });
    }
  }

  /** A recovered job that is not a valid job is not run (it would only fail, or worse): marked done, with why. */
  private skipInvalid(delivery: string, job: Job, problem: string): void {
    const trigger: unknown = job.trigger;
    const note = `recovered job is not a valid ${typeof trigger === "string" ? `${trigger} ` : ""}job (${problem}); it was not run: ask for the check again (${ASK_AGAIN})`;
    this.deps.log.warn("job.invalid", { delivery, note });
    this.markDone(delivery, [], note);
  }

  /**
   * Intake first: a delivery must be on disk and answered within Forgejo's 5 s, and evaluation
   * competes with it for the disk. During a burst the worker waits for a quiet moment, but no job
   * waits more than maxDeferMs for one.
   */
  private async yieldToIntake(queuedAt: number): Promise<void> {
    const last = this.deps.lastDeliveryAt;
    if (last === undefined) return;
    // Scheduling uses the monotonic clock; deps.now() is the verdict clock, which tests freeze.
    const maxDefer = this.deps.maxDeferMs ?? DEFAULT_MAX_DEFER_MS;
    while (!this.stopping.signal.aborted && performance.now() - last() < QUIET_MS && performance.now() - queuedAt < maxDefer) {
      await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    }
  }

  private async process(delivery: string, job: Job, recovered: boolean): Promise<void> {
    const { deps } = this;
    const { signal } = this.stopping;
    const ids: string[] = [];
    let note: string | undefined;
    let failed = false;
    try {
      const reader = changedFilesOnce(deps.reader);
      const units = await fetchEvidence(reader, job, deps.fetch);
      const now = deps.now();
      const policy = await deps.policy.current(now);
      for (const unit of units) {
        const proposal = await proposeVerdict(unit.snapshot, unit.target, { trigger: job.trigger, delivery: { id: delivery, event: job.trigger }, idSeed: delivery }, {
          evidence: deps.evidence,
          proposals: deps.proposals,
          policy,
          now,
          actor: "patchwarden",
          outputs: deps.outputs,
          printLine: deps.printLine,
          signal,
          ...deps.hooks?.({ recovered }),
        });
        ids.push(proposal.id);
        deps.log.info("proposal.created", { delivery, proposal: proposal.id, verdict: proposal.verdict.verdict, target: proposal.target, origin: proposal.origin });
      }
      const changes = await fetchPolicyChanges(reader, job, deps.policyGlobs);
      for (const { change, target } of changes) {
        const proposal = await proposeWhatIf(change, target, { trigger: job.trigger, delivery: { id: delivery, event: job.trigger }, idSeed: delivery }, {
          dataDir: deps.dataDir,
          running: policy,
          proposals: deps.proposals,
          now,
          actor: "patchwarden",
          outputs: deps.outputs,
          printLine: deps.printLine,
          signal,
          ...deps.whatIfHooks?.({ recovered }),
        });
        ids.push(proposal.id);
        deps.log.info("proposal.created", { delivery, proposal: proposal.id, what_if: proposal.what_if.path, loosened: proposal.what_if.loosened, looser_settings: proposal.what_if.looser_settings ?? null, target: proposal.target, origin: proposal.origin });
      }
      if (units.length === 0 && changes.length === 0) note = "no evidence bundle or policy among the changed files";
    } catch (error) {
      if (signal.aborted && (error as Error | undefined)?.name === "AbortError") {
        // Stopped while waiting for a claim: not marked done, so the next start runs it again as a
        // recovered job, which finds what it made before and records nothing twice.
        deps.log.info("job.interrupted", { delivery, proposals: ids });
        return;
      }
      if (error instanceof RecordedPostChangedError) {
        // No later start can give back what the first run recorded (another policy or engine): running it again would only fail again.
        note = `not queued: ${error.message}`;
        deps.log.warn("job.not_queued", { delivery, job: describeSafely(job), message: error.message });
      } else {
        // Forgejo's failures already made a blocked proposal; this is the gate's own disk, or a bug.
        // A redelivery is a duplicate, so the job itself must not be lost: the next start runs it again.
        failed = true;
        note = `evaluation failed: ${(error as Error).message}`;
        deps.log.error("job.failed", {
          delivery,
          job: describeSafely(job),
          error: (error as Error).message,
          message: `the delivery stays unfinished and is evaluated again at the next start (at most ${MAX_EVALUATION_ATTEMPTS} attempts in all): fix the cause, then restart patchwarden serve`,
        });
      }
    }
    try {
      deps.onJobDone?.(job, ids.length, failed);
    } catch (error) {
      deps.log.error("job.done_hook_failed", { delivery, error: (error as Error).message });
    }
    this.markDone(delivery, ids, note, failed);
  }

  /** Not awaited for durability: a lost `done` only runs the job again, which proposal ids make harmless. */
  private markDone(delivery: string, proposals: string[], note: string | undefined, failed = false): void {
    try {
      this.deps.inbox.appendEventually({ type: "done", delivery, at: formatIsoTime(this.deps.now()), proposals, ...(note !== undefined ? { note } : {}), ...(failed ? { failed } : {}) });
    } catch (error) {
      this.deps.log.error("job.done_not_recorded", { delivery, error: (error as Error).message });
    }
  }
}

/** A log field must not throw where the error it reports is being handled. */
function describeSafely(job: Job): string {
  try {
    return describeJob(job);
  } catch {
    return `${String((job as { trigger?: unknown }).trigger)} job (not describable)`;
  }
}

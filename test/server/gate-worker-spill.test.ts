import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { IssueJob } from "../../src/forgejo/jobs.js";
import type { ForgejoReader } from "../../src/forgejo/reader.js";
import { DeliveryLog, type AcceptedRead } from "../../src/inbox/delivery-log.js";
import type { DeliveryRecord } from "../../src/inbox/delivery-record.js";
import type { Logger } from "../../src/observability/logger.js";
import { GateWorker, type WorkerDeps } from "../../src/server/gate-worker.js";

const AT = "2026-11-21T05:00:00.000Z";
const job = (number: number): IssueJob => ({ trigger: "label", repo: "root/example", number, isPull: false, sender: "root" });
const accepted = (n: number): DeliveryRecord => ({ type: "accepted", delivery: `d-${n}`, received_at: AT, event: "issues", event_type: "issue_label", job: job(n) });

let dir: string;
let log: DeliveryLog;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-spill-"));
  log = (await DeliveryLog.open(dir)).log;
});
afterEach(async () => {
  await log.close();
  await rm(dir, { recursive: true, force: true });
});

/**
 * A worker over a real inbox whose evaluation records the issue number and fails at once (marked
 * done with a note): the tests watch which jobs run, in what order, and how many are held.
 */
function workerOver(maxQueued: number, options: { readAccepted?: WorkerDeps["readAccepted"] | null; evaluation?: Promise<void> } = {}) {
  const readAccepted = options.readAccepted === null ? undefined : (options.readAccepted ?? ((from, to, limit) => log.readAccepted(from, to, limit)));
  const ran: number[] = [];
  const errors: string[] = [];
  let mostHeld = 0;
  const reader = {
    issue: async (_repo: string, number: number) => {
      ran.push(number);
      mostHeld = Math.max(mostHeld, worker.held);
      await (options.evaluation ?? new Promise((resolve) => setImmediate(resolve)));
      throw new Error("stub reader");
    },
  } as unknown as ForgejoReader;
  const quiet = () => {};
  const logger = { info: quiet, warn: quiet, error: (event: string) => void errors.push(event), debug: quiet } as unknown as Logger;
  const deps = { reader, inbox: log, log: logger, now: () => Date.parse(AT), fetch: {}, policyGlobs: [], readAccepted, maxQueued } as unknown as WorkerDeps;
  const worker = new GateWorker(deps);
  return { worker, ran, errors, mostHeld: () => mostHeld };
}

/** Appends an accepted line and hands the job over as the intake does: once it is on disk. */
async function accept(worker: GateWorker, n: number): Promise<void> {
  const span = await log.append(accepted(n));
  worker.enqueue(`d-${n}`, job(n), false, span);
}

describe("GateWorker: at most maxQueued jobs in memory, the rest read back from the inbox", () => {
  it("runs every job once, in arrival order, holding no more than maxQueued", async () => {
    const { worker, ran, mostHeld } = workerOver(3);
    for (let n = 1; n <= 12; n++) await accept(worker, n);
    // Ignored deliveries and `done` lines land between spilled jobs in a real inbox.
    await log.append({ type: "ignored", delivery: "i-1", received_at: AT, event: "issues", event_type: "issues", reason: "not a trigger" });
    for (let n = 13; n <= 20; n++) await accept(worker, n);
    expect(worker.backlog).toBeGreaterThan(worker.held);
    await worker.idle();
    expect(ran).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(mostHeld()).toBeLessThanOrEqual(3);
    expect(worker.backlog).toBe(0);
  });

  it("reads back jobs accepted while it was reading back, and keeps new ones in memory once it has caught up", async () => {
    const { worker, ran } = workerOver(2);
    // Arrivals spread over the evaluation, so some land during read-backs and some after the last.
    for (let n = 1; n <= 30; n++) {
      await accept(worker, n);
      if (n % 5 === 0) await new Promise((resolve) => setTimeout(resolve, 3));
    }
    await worker.idle();
    for (let n = 31; n <= 32; n++) await accept(worker, n);
    // Nothing waits in the inbox: the backlog is what is held, and at most one job under way.
    expect(worker.backlog - worker.held).toBeLessThanOrEqual(1);
    await worker.idle();
    expect(ran).toEqual(Array.from({ length: 32 }, (_, i) => i + 1));
  });

  it("counts jobs waiting in the inbox in the backlog", async () => {
    let release = () => {};
    const evaluation = new Promise<void>((resolve) => (release = resolve));
    const { worker, ran } = workerOver(2, { evaluation });
    for (let n = 1; n <= 7; n++) await accept(worker, n);
    // Job 1 under way (held up), 2 and 3 in memory, 4 to 7 in the inbox only.
    expect(ran).toEqual([1]);
    expect(worker.held).toBe(2);
    expect(worker.backlog).toBe(7);
    release();
    await worker.idle();
    expect(ran).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(worker.backlog).toBe(0);
  });

  it("tries a failed read-back again, and a stop leaves the waiting jobs accepted and unfinished in the inbox", async () => {
    let reads = 0;
    let release = () => {};
    const evaluation = new Promise<void>((resolve) => (release = resolve));
    const { worker, ran, errors } = workerOver(1, {
      evaluation,
      readAccepted: async (): Promise<AcceptedRead> => {
        reads++;
        throw new Error("EIO: i/o error, read");
      },
    });
    // Job 1 under way, 2 held, 3 and 4 in the inbox only.
    for (let n = 1; n <= 4; n++) await accept(worker, n);
    release();
    while (reads === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(errors).toContain("inbox.read_back_failed");
    expect(ran).toEqual([1, 2]);
    expect(worker.backlog).toBe(2);
    const stopped = performance.now();
    await worker.stop();
    // The stop ends the wait before the retry rather than sitting it out.
    expect(performance.now() - stopped).toBeLessThan(2_000);
    await log.close();
    const reopened = await DeliveryLog.open(dir);
    log = reopened.log;
    expect(reopened.recovered.unfinished.map((u) => u.delivery)).toEqual(["d-3", "d-4"]);
  });

  it("keeps every job in memory when it cannot read back (no readAccepted)", async () => {
    let release = () => {};
    const evaluation = new Promise<void>((resolve) => (release = resolve));
    const { worker, ran } = workerOver(2, { readAccepted: null, evaluation });
    for (let n = 1; n <= 6; n++) await accept(worker, n);
    expect(worker.held).toBe(5);
    release();
    await worker.idle();
    expect(ran).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

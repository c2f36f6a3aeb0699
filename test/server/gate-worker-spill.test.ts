import { describe, expect, it } from "vitest";
import { DeliveryLog, type AcceptedRead } from "../../src/inbox/delivery-log.js";
import type { GateWorker, WorkerDeps } from "../../src/server/gate-worker.js";
import { accept as acceptInto, AT, makeWorker, tempInbox } from "../helpers/spill-worker.js";

const inbox = tempInbox();

/**
 * The shared spill worker (test/helpers/spill-worker.ts), with the issue numbers it ran, the most
 * jobs it held when one started, and evaluation held up until `evaluation` settles, if given.
 */
function workerOver(maxQueued: number, options: { readAccepted?: WorkerDeps["readAccepted"] | null; evaluation?: Promise<void> } = {}) {
  let mostHeld = 0;
  const { worker, ran, errors } = makeWorker(inbox.log, {
    maxQueued,
    gate: () => {
      mostHeld = Math.max(mostHeld, worker.held);
      return options.evaluation ?? new Promise((resolve) => setImmediate(resolve));
    },
    ...(options.readAccepted === null ? { spill: false } : options.readAccepted !== undefined ? { readAccepted: options.readAccepted } : {}),
  });
  return { worker, ran: { numbers: () => ran.map((r) => r.n) }, errors, mostHeld: () => mostHeld };
}

const accept = (worker: GateWorker, n: number) => acceptInto(inbox.log, worker, n);

describe("GateWorker: at most maxQueued jobs in memory, the rest read back from the inbox", () => {
  it("runs every job once, in arrival order, holding no more than maxQueued", async () => {
    const { worker, ran, mostHeld } = workerOver(3);
    for (let n = 1; n <= 12; n++) await accept(worker, n);
    // Ignored deliveries and `done` lines land between spilled jobs in a real inbox.
    await inbox.log.append({ type: "ignored", delivery: "i-1", received_at: AT, event: "issues", event_type: "issues", reason: "not a trigger" });
    for (let n = 13; n <= 20; n++) await accept(worker, n);
    expect(worker.backlog).toBeGreaterThan(worker.held);
    await worker.idle();
    expect(ran.numbers()).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
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
    expect(ran.numbers()).toEqual(Array.from({ length: 32 }, (_, i) => i + 1));
  });

  it("counts jobs waiting in the inbox in the backlog", async () => {
    let release = () => {};
    const evaluation = new Promise<void>((resolve) => (release = resolve));
    const { worker, ran } = workerOver(2, { evaluation });
    for (let n = 1; n <= 7; n++) await accept(worker, n);
    // Job 1 under way (held up), 2 and 3 in memory, 4 to 7 in the inbox only.
    expect(ran.numbers()).toEqual([1]);
    expect(worker.held).toBe(2);
    expect(worker.backlog).toBe(7);
    release();
    await worker.idle();
    expect(ran.numbers()).toEqual([1, 2, 3, 4, 5, 6, 7]);
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
    expect(ran.numbers()).toEqual([1, 2]);
    expect(worker.backlog).toBe(2);
    const stopped = performance.now();
    await worker.stop();
    // The stop ends the wait before the retry rather than sitting it out.
    expect(performance.now() - stopped).toBeLessThan(2_000);
    await inbox.log.close();
    const reopened = await DeliveryLog.open(inbox.dir);
    inbox.log = reopened.log;
    // 3 and 4 waited in the inbox; 1 and 2 ran but failed (the stub reader), so they run again too.
    expect(reopened.recovered.unfinished.map((u) => u.delivery)).toEqual(["d-1", "d-2", "d-3", "d-4"]);
  });

  it("holds one job when told to hold none, rather than read back nothing forever", async () => {
    let release = () => {};
    const evaluation = new Promise<void>((resolve) => (release = resolve));
    const { worker, ran } = workerOver(0, { evaluation });
    for (let n = 1; n <= 4; n++) await accept(worker, n);
    expect(worker.held).toBe(1);
    release();
    await worker.idle();
    expect(ran.numbers()).toEqual([1, 2, 3, 4]);
  });

  it("keeps every job in memory when it cannot read back (no readAccepted)", async () => {
    let release = () => {};
    const evaluation = new Promise<void>((resolve) => (release = resolve));
    const { worker, ran } = workerOver(2, { readAccepted: null, evaluation });
    for (let n = 1; n <= 6; n++) await accept(worker, n);
    expect(worker.held).toBe(5);
    release();
    await worker.idle();
    expect(ran.numbers()).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

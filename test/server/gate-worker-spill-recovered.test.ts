import { open } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Logger } from "../../src/observability/logger.js";
import type { UnfinishedDelivery } from "../../src/inbox/delivery-log.js";
import { DeliveryLog } from "../../src/inbox/delivery-log.js";
import type { WorkerDeps } from "../../src/server/gate-worker.js";
import { accept, accepted, AT, makeWorker, tempInbox } from "../helpers/spill-worker.js";

const inbox = tempInbox();

/** Accepts `count` deliveries, marks every fourth done, and reopens the inbox as a restart would. */
async function crashWithBacklog(count: number): Promise<UnfinishedDelivery[]> {
  for (let n = 1; n <= count; n++) {
    await inbox.log.append(accepted(n));
    if (n % 4 === 0) await inbox.log.append({ type: "done", delivery: `d-${n}`, at: AT, proposals: [] });
  }
  await inbox.log.close();
  const reopened = await DeliveryLog.open(inbox.dir);
  inbox.log = reopened.log;
  return reopened.recovered.unfinished;
}

function recoveringWorker(maxQueued: number, extra: Partial<WorkerDeps> & { gate?: () => Promise<void> } = {}) {
  let mostHeld = 0;
  const { worker, ran, errors } = makeWorker(inbox.log, {
    maxQueued,
    readUnfinished: (unfinished, index, limit) => inbox.log.readUnfinished(unfinished, index, limit),
    gate: () => {
      mostHeld = Math.max(mostHeld, worker.held);
      return new Promise((resolve) => setImmediate(resolve));
    },
    ...extra,
  });
  return { worker, ran, errors, mostHeld: () => mostHeld };
}

describe("GateWorker: jobs recovered at a start are read back from the inbox, maxQueued at a time", () => {
  it("runs each unfinished job once, in log order, as recovered, holding no more than maxQueued", async () => {
    const unfinished = await crashWithBacklog(40);
    const expected = Array.from({ length: 40 }, (_, i) => i + 1).filter((n) => n % 4 !== 0);
    expect(unfinished.map((u) => u.delivery)).toEqual(expected.map((n) => `d-${n}`));
    const { worker, ran, errors, mostHeld } = recoveringWorker(3);
    worker.enqueueRecovered(unfinished);
    expect(worker.backlog).toBe(30);
    expect(worker.held).toBe(0);
    await worker.idle();
    expect(ran.map((r) => r.n)).toEqual(expected);
    expect(mostHeld()).toBeLessThanOrEqual(3);
    expect(errors).toEqual(expect.not.arrayContaining(["inbox.read_back_damaged", "inbox.read_back_failed"]));
    expect(worker.backlog).toBe(0);
  });

  it("runs jobs accepted after the start behind every recovered one, even those not yet read back", async () => {
    const unfinished = await crashWithBacklog(12);
    const { worker, ran } = recoveringWorker(2);
    worker.enqueueRecovered(unfinished);
    for (let n = 101; n <= 105; n++) await accept(inbox.log, worker, n);
    await worker.idle();
    expect(ran.map((r) => r.n)).toEqual([1, 2, 3, 5, 6, 7, 9, 10, 11, 101, 102, 103, 104, 105]);
  });

  it("leaves recovered jobs not yet read back unfinished in the inbox at a stop", async () => {
    const unfinished = await crashWithBacklog(8);
    let release = () => {};
    const evaluation = new Promise<void>((resolve) => (release = resolve));
    const { worker, ran } = recoveringWorker(2, { gate: () => evaluation });
    worker.enqueueRecovered(unfinished);
    while (ran.length === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    const stopped = worker.stop();
    release();
    await stopped;
    expect(ran.map((r) => r.n)).toEqual([1]);
    expect(worker.backlog).toBe(0);
    await inbox.log.close();
    const reopened = await DeliveryLog.open(inbox.dir);
    inbox.log = reopened.log;
    // Job 1 failed (the stub reader) and runs again too; every other was never read back.
    expect(reopened.recovered.unfinished.map((u) => u.delivery)).toEqual(["d-1", "d-2", "d-3", "d-5", "d-6", "d-7"]);
  });

  it("reports a recovered line found damaged when read back, saying how to ask for its check again, and runs the rest", async () => {
    const unfinished = await crashWithBacklog(6);
    const damaged = unfinished[1]!;
    const file = await open(join(inbox.dir, "inbox", "deliveries.jsonl"), "r+");
    await file.write(Buffer.from("#####"), 0, 5, damaged.start);
    await file.close();
    const logged: Array<{ event: string; fields: Record<string, unknown> }> = [];
    const quiet = () => {};
    const log = { info: quiet, warn: quiet, error: (event: string, fields: Record<string, unknown> = {}) => void logged.push({ event, fields }) } as unknown as Logger;
    const { worker, ran } = recoveringWorker(2, { log });
    worker.enqueueRecovered(unfinished);
    await worker.idle();
    expect(ran.map((r) => r.n)).toEqual([1, 3, 5, 6]);
    expect(logged).toContainEqual({
      event: "inbox.read_back_damaged",
      fields: { offset: damaged.start, message: "an inbox line is not the delivery record recovery found there; its job is not run (a redelivery of it is answered as a duplicate): ask for the check again (gate label, `/patchwarden check` or a new push), and check the disk" },
    });
  });

  it("is refused without the readers that keep jobs in log order", () => {
    const { worker } = makeWorker(inbox.log, { spill: false });
    expect(() => worker.enqueueRecovered([{ delivery: "d-1", start: 0 }])).toThrow("GateWorker.enqueueRecovered needs deps.readUnfinished and deps.readAccepted");
  });
});

// After stop(), jobs left in the inbox stay there: idle() and a second stop() resolve, the backlog is 0, and a
// read-back under way at the stop holds nothing (stop() once left them counted, and idle() never resolved).
import { describe, expect, it } from "vitest";
import { accept, makeWorker, settle, tempInbox } from "../helpers/spill-worker.js";

const inbox = tempInbox();

const within = (promise: Promise<unknown>, ms: number) => Promise.race([promise.then(() => "resolved"), settle(ms).then(() => "still pending")]);

describe("after stop()", () => {
  it("control: without readAccepted, idle() and a second stop() resolve", async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const { worker } = makeWorker(inbox.log, { spill: false, maxQueued: 1, gate: () => held });
    for (let n = 1; n <= 4; n++) await accept(inbox.log, worker, n);
    const stopped = worker.stop();
    release();
    await stopped;
    expect(await within(worker.idle(), 500)).toBe("resolved");
    expect(await within(worker.stop(), 500)).toBe("resolved");
    expect(worker.backlog).toBe(0);
  });

  it("with jobs left in the inbox, idle() and a second stop() resolve, and the backlog is 0", async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const { worker } = makeWorker(inbox.log, { maxQueued: 1, gate: () => held });
    // Job 1 under way, 2 held, 3 and 4 in the inbox only.
    for (let n = 1; n <= 4; n++) await accept(inbox.log, worker, n);
    const stopped = worker.stop();
    release();
    await stopped;
    expect({ idle: await within(worker.idle(), 500), secondStop: await within(worker.stop(), 500), backlog: worker.backlog }).toEqual({ idle: "resolved", secondStop: "resolved", backlog: 0 });
  });

  it("a stop during a read-back leaves no jobs held in memory", async () => {
    let releaseRead = () => {};
    const reading = new Promise<void>((resolve) => (releaseRead = resolve));
    let inRead = false;
    let releaseJob = () => {};
    const jobHeld = new Promise<void>((resolve) => (releaseJob = resolve));
    const { worker } = makeWorker(inbox.log, {
      maxQueued: 1,
      gate: () => jobHeld,
      readAccepted: async (f: number, t: number, l: number) => {
        inRead = true;
        await reading;
        return inbox.log.readAccepted(f, t, l);
      },
    });
    // Job 1 under way, 2 held, 3 and 4 in the inbox only; then 1 and 2 finish and 3 is being read back.
    for (let n = 1; n <= 4; n++) await accept(inbox.log, worker, n);
    releaseJob();
    while (!inRead) await settle(2);
    const stopped = worker.stop();
    releaseRead();
    await stopped;
    expect({ held: worker.held, idle: await within(worker.idle(), 500) }).toEqual({ held: 0, idle: "resolved" });
  });
});

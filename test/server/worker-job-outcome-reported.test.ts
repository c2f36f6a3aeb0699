import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { Job } from "../../src/forgejo/jobs.js";
import { DeliveryLog } from "../../src/inbox/delivery-log.js";
import { accept, job, makeWorker, tempInbox } from "../helpers/spill-worker.js";

const inbox = tempInbox();

describe("a job whose evaluation fails in the gate itself", () => {
  it("is reported to the done hook as failed, and its done line says failed", async () => {
    const outcomes: Array<{ job: Job; proposals: number; failed: boolean }> = [];
    const { worker } = makeWorker(inbox.log, { onJobDone: (done: Job, proposals: number, failed: boolean) => void outcomes.push({ job: done, proposals, failed }) });
    await accept(inbox.log, worker, 5);
    await worker.idle();
    expect(outcomes).toEqual([{ job: job(5), proposals: 0, failed: true }]);
    await inbox.log.close();
    const lines = (await readFile(inbox.log.path, "utf8")).trim().split("\n").map((l) => JSON.parse(l) as { type: string; failed?: boolean; note?: string });
    expect(lines.filter((l) => l.type === "done")).toMatchObject([{ failed: true, note: expect.stringMatching(/^evaluation failed: /) }]);
    inbox.log = (await DeliveryLog.open(inbox.dir)).log;
  });
});

describe("jobs recovered at a start", () => {
  it("are refused by a worker that could not keep later jobs behind them in the inbox", () => {
    const { worker } = makeWorker(inbox.log, { spill: false, readUnfinished: (u, i, l) => inbox.log.readUnfinished(u, i, l) });
    expect(() => worker.enqueueRecovered([{ delivery: "d-1", start: 0 }])).toThrow("GateWorker.enqueueRecovered needs deps.readUnfinished and deps.readAccepted");
    expect(worker.backlog).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import type { IssueJob } from "../../src/forgejo/jobs.js";
import type { ForgejoReader } from "../../src/forgejo/reader.js";
import type { DeliveryLog } from "../../src/inbox/delivery-log.js";
import { silentLogger } from "../../src/observability/logger.js";
import { GateWorker, type WorkerDeps } from "../../src/server/gate-worker.js";

const job: IssueJob = { trigger: "label", repo: "root/example", number: 7, isPull: false, sender: "root" };

/** A worker whose evaluation is recorded (and fails at once): the test only watches when it starts. */
function workerWith(lastDeliveryAt: () => number, maxDeferMs: number) {
  const started: number[] = [];
  const reader = {
    issue: async () => {
      started.push(performance.now());
      throw new Error("stub reader");
    },
  } as unknown as ForgejoReader;
  const inbox = { appendEventually: () => {} } as unknown as DeliveryLog;
  const deps = { reader, inbox, log: silentLogger, now: Date.now, lastDeliveryAt, maxDeferMs, fetch: {}, policyGlobs: [] } as unknown as WorkerDeps;
  return { worker: new GateWorker(deps), started };
}

describe("evaluation yields to a burst of deliveries", () => {
  it("starts at once when no delivery is arriving", async () => {
    const { worker, started } = workerWith(() => Number.NEGATIVE_INFINITY, 10_000);
    const queued = performance.now();
    worker.enqueue("d-1", job);
    await worker.idle();
    expect(started).toHaveLength(1);
    expect(started[0]! - queued).toBeLessThan(1_000);
  });

  it("waits while deliveries keep arriving, and starts once they stop", async () => {
    const burstEnds = performance.now() + 300;
    const { worker, started } = workerWith(() => Math.min(performance.now(), burstEnds), 10_000);
    worker.enqueue("d-1", job);
    await worker.idle();
    expect(started[0]!).toBeGreaterThanOrEqual(burstEnds);
  });

  it("never makes a job wait longer than the bound, however long the burst", async () => {
    const { worker, started } = workerWith(() => performance.now(), 400);
    const queued = performance.now();
    worker.enqueue("d-1", job);
    await worker.idle();
    expect(started[0]! - queued).toBeGreaterThanOrEqual(400);
    expect(started[0]! - queued).toBeLessThan(5_000);
  });
});

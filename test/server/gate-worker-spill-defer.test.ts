// A job read back from the inbox waits for a quiet moment from when it was left there, not from its read-back
// (each read-back batch waited maxDeferMs again during a steady stream of deliveries).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DeliveryLog } from "../../src/inbox/delivery-log.js";
import { accept, makeWorker } from "../helpers/spill-worker.js";

let dir: string;
let log: DeliveryLog;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-scratch-"));
  log = (await DeliveryLog.open(dir)).log;
});
afterEach(async () => {
  await log.close();
  await rm(dir, { recursive: true, force: true });
});

const MAX_DEFER = 300;

async function run(spill: boolean) {
  // Deliveries never stop arriving: no quiet moment, so only maxDeferMs lets a job start.
  const { worker, ran } = makeWorker(log, { spill, maxQueued: 2, maxDeferMs: MAX_DEFER, lastDeliveryAt: () => performance.now() });
  const acceptedAt = new Map<number, number>();
  for (let n = 1; n <= 8; n++) {
    await accept(log, worker, n);
    acceptedAt.set(n, performance.now());
  }
  await worker.idle();
  return ran.map(({ n, at }) => ({ n, waited: Math.round(at - acceptedAt.get(n)!) }));
}

describe("maxDeferMs: no job waits longer than this for a quiet moment", () => {
  it("control: every job held in memory (no readAccepted) starts within maxDeferMs of its acceptance", async () => {
    const waits = await run(false);
    expect(waits.filter((w) => w.waited > MAX_DEFER + 150)).toEqual([]);
  });

  it("a job left in the inbox and read back starts within maxDeferMs of its acceptance too", async () => {
    const waits = await run(true);
    expect(waits.filter((w) => w.waited > MAX_DEFER + 150)).toEqual([]);
  });
});

// A job read back from the inbox waits for a quiet moment from when it was left there, not from its read-back
// (each read-back batch waited maxDeferMs again during a steady stream of deliveries).
import { describe, expect, it } from "vitest";
import { accept, makeWorker, tempInbox } from "../helpers/spill-worker.js";

const inbox = tempInbox();

const MAX_DEFER = 300;

async function run(spill: boolean) {
  // Deliveries never stop arriving: no quiet moment, so only maxDeferMs lets a job start.
  const { worker, ran } = makeWorker(inbox.log, { spill, maxQueued: 2, maxDeferMs: MAX_DEFER, lastDeliveryAt: () => performance.now() });
  const acceptedAt = new Map<number, number>();
  for (let n = 1; n <= 8; n++) {
    await accept(inbox.log, worker, n);
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

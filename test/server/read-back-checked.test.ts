// A job read back from the inbox (left there while maxQueued jobs were held) comes from a log line,
// so it must be checked as a recovered one is before it runs.
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { accept, AT, job, makeWorker, settle, tempInbox } from "../helpers/spill-worker.js";

const inbox = tempInbox();

describe("read-back jobs are checked", () => {
  it("does not run an invalid job read back from the inbox, and marks it done with why", async () => {
    const releases: Array<() => void> = [];
    const { worker, ran } = makeWorker(inbox.log, { maxQueued: 1, gate: () => new Promise<void>((resolve) => releases.push(resolve)) });
    await accept(inbox.log, worker, 1); // under way
    await accept(inbox.log, worker, 2); // held
    // Left in the inbox only: a line whose job is not a valid label job (number 0).
    const bad = { ...job(0) };
    const span = await inbox.log.append({ type: "accepted", delivery: "d-bad", received_at: AT, event: "issues", event_type: "issue_label", job: bad });
    worker.enqueue("d-bad", bad, false, span);
    await accept(inbox.log, worker, 4);
    while (releases.length > 0 || ran.length < 3) {
      releases.shift()?.();
      await settle(2);
    }
    while (releases.length > 0) releases.shift()!();
    await worker.idle();
    expect(ran.map((r) => r.n)).toEqual([1, 2, 4]);
    await inbox.log.close();
    const lines = (await readFile(inbox.log.path, "utf8")).trim().split("\n").map((l) => JSON.parse(l) as { type: string; delivery: string; note?: string });
    const done = lines.find((l) => l.type === "done" && l.delivery === "d-bad");
    expect(done?.note).toMatch(/not a valid label job/);
    // Reopened for the afterEach close.
    inbox.log = (await (await import("../../src/inbox/delivery-log.js")).DeliveryLog.open(inbox.dir)).log;
  });
});

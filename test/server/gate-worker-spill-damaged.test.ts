// A damaged line among those left in the inbox is reported and skipped, and the backlog stops counting it
// (it counted the skipped job until the stretch was read to its end).
import { open } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { LineSpan } from "../../src/inbox/delivery-log.js";
import { accept, makeWorker, settle, tempInbox } from "../helpers/spill-worker.js";

const inbox = tempInbox();

describe("backlog with a damaged spilled line", () => {
  it("does not count a line that was reported and skipped", async () => {
    const releases: Array<() => void> = [];
    const { worker, ran, errors } = makeWorker(inbox.log, { maxQueued: 1, gate: () => new Promise<void>((resolve) => releases.push(resolve)) });
    const spans: LineSpan[] = [];
    // Job 1 under way, 2 held, 3, 4 and 5 in the inbox only.
    for (let n = 1; n <= 5; n++) spans.push(await accept(inbox.log, worker, n));
    const damaged = spans[2]!;
    const file = await open(inbox.log.path, "r+");
    await file.write(Buffer.alloc(damaged.end - damaged.start - 1, "#"), 0, damaged.end - damaged.start - 1, damaged.start);
    await file.close();
    releases.shift()!(); // 1 done
    while (ran.length < 2) await settle(2);
    releases.shift()!(); // 2 done: 3 is damaged, 4 read back (limit 1), 5 still in the inbox
    while (ran.length < 3) await settle(2);
    expect(errors).toContain("inbox.read_back_damaged");
    expect(ran.map((r) => r.n)).toEqual([1, 2, 4]);
    // Left: job 4 under way and job 5 in the inbox.
    expect(worker.backlog).toBe(2);
    while (releases.length > 0 || ran.length < 4) { releases.shift()?.(); await settle(2); }
    await worker.idle();
  });
});

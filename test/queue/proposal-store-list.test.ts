import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { QueueDataError } from "../../src/queue/queue-data-error.js";
import { EXAMPLE_TIME, useQueue } from "./helpers.js";

const q = useQueue();

describe("the queue as listed", () => {
  it("puts pending proposals first, then the rest, each newest first", async () => {
    const older = await q.propose({ seed: "d-1", target: { repo: "iskra/ops", kind: "issue", number: 3 }, now: EXAMPLE_TIME });
    const newer = await q.propose({ seed: "d-2", target: { repo: "iskra/ops", kind: "issue", number: 4 }, now: EXAMPLE_TIME + 60_000 });
    const newest = await q.propose({ seed: "d-3", target: { repo: "iskra/ops", kind: "issue", number: 5 }, now: EXAMPLE_TIME + 120_000 });
    expect(await q.store.transition(newest.id, ["pending"], "rejected", "piotr", "2026-11-21T12:03:00.000Z", "no")).toBe(true);
    expect((await q.store.list()).map((proposal) => proposal.id)).toEqual([newer.id, older.id, newest.id]);
  });

  it("list refuses a queue with a damaged file, naming it; scan returns it beside the others", async () => {
    const kept = await q.propose();
    await mkdir(join(q.dir, "queue", "proposals"), { recursive: true });
    const damaged = join(q.dir, "queue", "proposals", "p_ffffffffffffffffffff.json");
    await writeFile(damaged, "{");
    const error = await q.store.list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(QueueDataError);
    expect((error as Error).message).toContain(damaged);
    const scan = await q.store.scan();
    expect(scan.proposals.map((proposal) => proposal.id)).toEqual([kept.id]);
    expect(scan.damaged).toHaveLength(1);
  });
});

import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { VerdictProposal } from "../../src/queue/proposal.js";
import { EXAMPLE_TIME, useQueue } from "./helpers.js";

const q = useQueue();

describe("a newer proposal waiting for the older one's claim, when the server stops", () => {
  it("gives up at once when its signal is aborted, writing nothing and keeping no claim", async () => {
    const older = await q.propose();
    const claim = await q.store.claim(older.id, "alice", "2026-11-21T12:00:30.000Z");
    if (!claim.ok) throw new Error("expected to claim the older proposal");
    const newer = { ...older, id: "p_00000000000000000001", created_at: "2026-11-21T12:00:01.000Z" } as VerdictProposal;
    const stop = new AbortController();
    const proposing = q.store.propose(newer, "patchwarden", newer.created_at, { signal: stop.signal });
    await new Promise((resolve) => setTimeout(resolve, 100));
    stop.abort();
    await expect(proposing).rejects.toMatchObject({ name: "AbortError" });
    await claim.release();
    expect((await q.store.list()).map((p) => [p.id, p.state])).toEqual([[older.id, "pending"]]);
    expect((await readdir(join(q.dir, "queue", "claims"))).filter((name) => name.endsWith(".claim"))).toEqual([]);
    // Run again (the next start), it supersedes the older one as it would have.
    expect(await q.store.propose(newer, "patchwarden", newer.created_at)).toEqual({ created: true, superseded: { id: older.id, by: newer.id } });
  });

  it("an already aborted signal does not even wait", async () => {
    const older = await q.propose();
    const claim = await q.store.claim(older.id, "alice", "2026-11-21T12:00:30.000Z");
    if (!claim.ok) throw new Error("expected to claim the older proposal");
    const newer = { ...older, id: "p_00000000000000000002", created_at: new Date(EXAMPLE_TIME + 1000).toISOString() } as VerdictProposal;
    await expect(q.store.propose(newer, "patchwarden", newer.created_at, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: "AbortError" });
    await claim.release();
    expect(await q.store.get(newer.id)).toBeNull();
  });
});

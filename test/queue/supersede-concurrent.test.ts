import { describe, expect, it } from "vitest";
import { approveAsOperator } from "../../src/queue/operator-actions.js";
import { ProposalStore } from "../../src/queue/proposal-store.js";
import { EXAMPLE_TIME, useQueue } from "./helpers.js";

// Two processes proposing for the same target and bundle at once (the server and
// `runtime-repair-check --propose`, or the hourly timer), both waiting on an approval of the
// oldest proposal: whichever moves the index last, only the newest proposal may be approved.
const q = useQueue();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function claimOrFail(id: string) {
  const claim = await q.store.claim(id, "alice", new Date(EXAMPLE_TIME).toISOString());
  if (!claim.ok) throw new Error(`expected to claim ${id}`);
  return claim;
}

/** Approves each in turn, one minute on, and says how each ended. */
async function approveEach(...ids: string[]): Promise<string[]> {
  const outcomes: string[] = [];
  for (const id of ids) outcomes.push((await approveAsOperator(id, await q.operatorDeps({ now: EXAMPLE_TIME + 60_000 }))).kind);
  return outcomes;
}

describe("two proposals for the same target and bundle queued at once", () => {
  it("an older one that moves the index after the newer did is superseded by the newer", async () => {
    const oldest = await q.propose({ seed: "d-0" });
    const claim = await claimOrFail(oldest.id);
    // Judged at +1 s, it waits for the oldest one's claim.
    const middle = q.propose({ seed: "d-1", now: EXAMPLE_TIME + 1000, store: new ProposalStore(q.dir) });
    await sleep(100);
    // Judged at +2 s, it gives up waiting and is queued first.
    const newest = await q.propose({ seed: "d-2", now: EXAMPLE_TIME + 2000, store: new ProposalStore(q.dir, { supersedeWaitMs: 50 }) });
    await claim.release();
    const middleId = (await middle).id;

    expect(await q.store.require(middleId)).toMatchObject({ state: "superseded", superseded_by: newest.id });
    expect(await q.receiptKinds(middleId)).toEqual(["verdict", "proposal.proposed", "proposal.superseded"]);
    expect(await approveEach(oldest.id, middleId, newest.id)).toEqual(["refused", "refused", "posted"]);
    expect(q.fake.posted).toHaveLength(1);
  });

  it("a newer one that moves the index after an older did supersedes that older one too", async () => {
    const oldest = await q.propose({ seed: "d-0" });
    const claim = await claimOrFail(oldest.id);
    // Judged at +2 s, it waits for the oldest one's claim.
    const newest = q.propose({ seed: "d-2", now: EXAMPLE_TIME + 2000, store: new ProposalStore(q.dir) });
    await sleep(100);
    // Judged at +1 s, it gives up waiting and is queued first.
    const middle = await q.propose({ seed: "d-1", now: EXAMPLE_TIME + 1000, store: new ProposalStore(q.dir, { supersedeWaitMs: 50 }) });
    await claim.release();
    const newestId = (await newest).id;

    expect(await q.store.require(middle.id)).toMatchObject({ state: "superseded", superseded_by: newestId });
    expect(await approveEach(oldest.id, middle.id, newestId)).toEqual(["refused", "refused", "posted"]);
    expect(q.fake.posted).toHaveLength(1);
  });
});

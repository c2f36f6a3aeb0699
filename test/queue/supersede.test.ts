import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import type { ForgejoWriter } from "../../src/forgejo/writer.js";
import { approveAsOperator } from "../../src/queue/operator-actions.js";
import { ProposalStore } from "../../src/queue/proposal-store.js";
import { receiptsOfProposal } from "../../src/receipts/proposal-receipts.js";
import { EXAMPLE_TIME, FORGEJO_ORIGIN, REPO, useQueue, writerWith } from "./helpers.js";

const q = useQueue();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
// Same bundle and target as the first proposal, a second later: the newer one.
const NEWER = { seed: "d-2", now: EXAMPLE_TIME + 1000 };

async function claimOrFail(id: string) {
  const claim = await q.store.claim(id, "alice", "2026-11-21T12:00:30.000Z");
  if (!claim.ok) throw new Error(`expected to claim ${id}`);
  return claim;
}

describe("a newer proposal for the same target and bundle, while the older one is claimed", () => {
  it("waits for the claim, then supersedes the older one", async () => {
    const older = await q.propose();
    const claim = await claimOrFail(older.id);
    const proposing = q.propose(NEWER);
    await sleep(200);
    expect((await q.store.list()).map((p) => p.id)).toEqual([older.id]); // not written while the older one is held
    await claim.release();
    const newer = await proposing;
    expect(await q.store.require(older.id)).toMatchObject({ state: "superseded", superseded_by: newer.id });
    expect((await q.store.require(newer.id)).state).toBe("pending");
    expect(await q.receiptKinds(older.id)).toEqual(["verdict", "proposal.proposed", "proposal.superseded"]);
  });

  it("past the wait, is queued anyway; approving the older one is then refused and marks it superseded", async () => {
    const impatient = new ProposalStore(q.dir, { supersedeWaitMs: 50 });
    const older = await q.propose();
    const claim = await claimOrFail(older.id);
    const newer = await q.propose({ ...NEWER, store: impatient });
    await claim.release();
    expect((await q.store.require(older.id)).state).toBe("pending");

    const outcome = await approveAsOperator(older.id, await q.operatorDeps());
    expect(outcome).toEqual({
      kind: "refused",
      reason: `proposal \`${older.id}\` is superseded by \`${newer.id}\`, a newer proposal for the same target and bundle. Nothing was posted; review \`${newer.id}\` instead`,
    });
    expect(q.fake.posted).toEqual([]);
    expect(await q.store.require(older.id)).toMatchObject({ state: "superseded", superseded_by: newer.id });
    const receipts = await receiptsOfProposal(q.log.paths.log, older.id);
    expect(receipts.map((r) => r.kind)).toEqual(["verdict", "proposal.proposed", "proposal.superseded"]);
    expect(receipts.at(-1)).toMatchObject({ actor: "piotr", superseded_by: newer.id });

    expect(await approveAsOperator(newer.id, await q.operatorDeps())).toMatchObject({ kind: "posted" });
    expect(q.fake.posted).toHaveLength(1);
  });
});

describe("no proposal is posted once a newer one exists", () => {
  it("an approval under way finishes first; the newer proposal is written after it", async () => {
    const older = await q.propose();
    let lookingUp!: () => void;
    const lookedUp = new Promise<void>((resolve) => (lookingUp = resolve));
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    const queuedWhenPosting: string[][] = [];
    const real = writerWith();
    const slow = Object.create(real) as ForgejoWriter;
    slow.findComment = async (...args) => {
      lookingUp();
      await answered; // Forgejo is slow to answer the look-up
      return real.findComment(...args);
    };
    slow.postComment = async (...args) => {
      queuedWhenPosting.push((await q.store.list()).map((p) => p.id));
      return real.postComment(...args);
    };

    const approving = approveAsOperator(older.id, await q.operatorDeps({ writer: slow }));
    await lookedUp;
    const proposing = q.propose(NEWER);
    await sleep(100);
    answer();
    expect(await approving).toMatchObject({ kind: "posted" });
    const newer = await proposing;

    expect(queuedWhenPosting).toEqual([[older.id]]);
    expect((await q.store.require(older.id)).state).toBe("posted");
    expect((await q.store.require(newer.id)).state).toBe("pending");
  });

  it("an approved proposal that never reached Forgejo is superseded when approved again, and its lock released", async () => {
    const older = await q.propose();
    q.msw.use(http.post(`${FORGEJO_ORIGIN}/api/v1/repos/:owner/:repo/issues/:number/comments`, () => HttpResponse.json({ message: "injected failure" }, { status: 500 })));
    await expect(approveAsOperator(older.id, await q.operatorDeps())).rejects.toThrow(/Forgejo answered 500/);
    q.msw.resetHandlers();
    const newer = await q.propose(NEWER);
    expect((await q.store.require(older.id)).state).toBe("approved"); // a newer proposal supersedes only pending ones

    const outcome = await approveAsOperator(older.id, await q.operatorDeps({ now: EXAMPLE_TIME + 120_000 }));
    expect(outcome).toMatchObject({ kind: "refused", reason: expect.stringContaining(`is superseded by \`${newer.id}\``) });
    expect(q.fake.posted).toEqual([]);
    expect(await q.store.require(older.id)).toMatchObject({ state: "superseded", superseded_by: newer.id });
    expect(await q.receiptKinds(older.id)).toEqual(["verdict", "proposal.proposed", "lock.acquired", "proposal.approved", "proposal.superseded", "lock.released"]);
    expect(await q.locks.activeLeases(EXAMPLE_TIME + 120_000)).toEqual([]);
  });

  it("an approved proposal whose comment is on Forgejo is recorded as posted, newer proposal or not", async () => {
    const older = await q.propose();
    await q.store.transition(older.id, ["pending"], "approved", "piotr", "2026-11-21T12:01:00.000Z");
    await writerWith().postComment(REPO, 3, (older.post as { body: string }).body);
    await q.propose(NEWER);
    expect(await approveAsOperator(older.id, await q.operatorDeps())).toMatchObject({ kind: "posted", alreadyPosted: true });
    expect(q.fake.posted).toHaveLength(1);
  });
});

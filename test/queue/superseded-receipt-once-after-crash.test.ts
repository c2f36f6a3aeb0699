import { describe, expect, it } from "vitest";
import { approveAsOperator } from "../../src/queue/operator-actions.js";
import { ProposalStore } from "../../src/queue/proposal-store.js";
import { supersededDraft } from "../../src/receipts/drafts.js";
import { EXAMPLE_TIME, useQueue } from "./helpers.js";

const q = useQueue();

describe("an approval that finds its proposal superseded, after an earlier one stopped past the receipt", () => {
  it("writes no second `proposal.superseded` receipt, and marks the proposal superseded", async () => {
    const impatient = new ProposalStore(q.dir, { supersedeWaitMs: 50 });
    const older = await q.propose();
    const claim = await q.store.claim(older.id, "alice", "2026-11-21T12:00:30.000Z");
    if (!claim.ok) throw new Error(`expected to claim ${older.id}`);
    const newer = await q.propose({ seed: "d-2", now: EXAMPLE_TIME + 1000, store: impatient });
    await claim.release();
    expect((await q.store.require(older.id)).state).toBe("pending");
    // An earlier approval wrote the receipt and stopped before the queue recorded the state.
    await q.log.append(supersededDraft({ id: older.id, by: newer.id }, newer.target, "piotr"));

    const outcome = await approveAsOperator(older.id, await q.operatorDeps());
    expect(outcome).toMatchObject({ kind: "refused", reason: expect.stringContaining(`is superseded by \`${newer.id}\``) });
    expect(await q.store.require(older.id)).toMatchObject({ state: "superseded", superseded_by: newer.id });
    expect(await q.receiptKinds(older.id)).toEqual(["verdict", "proposal.proposed", "proposal.superseded"]);
    expect(q.fake.posted).toEqual([]);
  });
});

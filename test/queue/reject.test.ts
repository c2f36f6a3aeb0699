import { describe, expect, it } from "vitest";
import { approveAsOperator, rejectAsOperator } from "../../src/queue/operator-actions.js";
import { forgejoTarget } from "../../src/receipts/drafts.js";
import type { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { EXAMPLE_TIME, useQueue } from "./helpers.js";

const q = useQueue();

/** The log, but its next append fails as a full disk would. */
function failingOnce(log: ReceiptLog): ReceiptLog {
  const failing = Object.create(log) as ReceiptLog;
  failing.append = async () => {
    throw new Error("receipt log: the disk is full");
  };
  return failing;
}

describe("queue reject writes its receipt before the state", () => {
  it("a failed append leaves the proposal pending, and a retry rejects it with one receipt", async () => {
    const proposal = await q.propose();
    const reject = (log: ReceiptLog) => rejectAsOperator(proposal.id, { store: q.store, log, now: EXAMPLE_TIME, actor: "piotr", reason: "wrong host" });
    await expect(reject(failingOnce(q.log))).rejects.toThrow(/disk is full/);
    expect((await q.store.require(proposal.id)).state).toBe("pending");

    expect(await reject(q.log)).toEqual({ ok: true });
    expect((await q.store.require(proposal.id)).history.at(-1)).toMatchObject({ state: "rejected", actor: "piotr", reason: "wrong host" });
    expect(await q.receiptKinds(proposal.id)).toEqual(["verdict", "proposal.proposed", "proposal.rejected"]);
  });

  it("after a crash between the receipt and the state, a retry finishes without a second receipt", async () => {
    const proposal = await q.propose();
    await q.log.append({ kind: "proposal.rejected", actor: "piotr", proposal_id: proposal.id, target: forgejoTarget(proposal.target), reason: "wrong host" });
    expect(await rejectAsOperator(proposal.id, { store: q.store, log: q.log, now: EXAMPLE_TIME, actor: "piotr", reason: "wrong host" })).toEqual({ ok: true });
    expect((await q.store.require(proposal.id)).state).toBe("rejected");
    expect(await q.receiptKinds(proposal.id)).toEqual(["verdict", "proposal.proposed", "proposal.rejected"]);
  });

  it("meanwhile, approving it is refused: the log already says rejected", async () => {
    const proposal = await q.propose();
    await q.log.append({ kind: "proposal.rejected", actor: "alice", proposal_id: proposal.id, target: forgejoTarget(proposal.target), reason: "wrong host" });
    const outcome = await approveAsOperator(proposal.id, await q.operatorDeps());
    expect(outcome).toEqual({ kind: "refused", reason: expect.stringMatching(/^not approved: proposal `p_[0-9a-f]{20}` was rejected by alice \(receipt \d+\), but that rejection stopped before the queue recorded it; reject it again to finish$/) });
    expect(q.fake.posted).toEqual([]);
    expect(await q.receiptKinds(proposal.id)).not.toContain("proposal.approved");
  });

  it("a second rejection is refused, and a posted proposal cannot be rejected", async () => {
    const proposal = await q.propose();
    await rejectAsOperator(proposal.id, { store: q.store, log: q.log, now: EXAMPLE_TIME, actor: "piotr", reason: "x" });
    expect(await rejectAsOperator(proposal.id, { store: q.store, log: q.log, now: EXAMPLE_TIME, actor: "piotr", reason: "x" })).toEqual({
      ok: false,
      reason: `proposal \`${proposal.id}\` is rejected; only a pending proposal can be rejected (or an approved one not recorded as posted)`,
    });
    const other = await q.propose({ seed: "d-2", bundle: "openclaw-runs/green", now: Date.parse("2026-11-21T05:00:00Z") });
    expect(await approveAsOperator(other.id, await q.operatorDeps({ now: Date.parse("2026-11-21T05:01:00Z") }))).toMatchObject({ kind: "posted" });
    expect((await rejectAsOperator(other.id, { store: q.store, log: q.log, now: EXAMPLE_TIME, actor: "piotr", reason: "x" })).ok).toBe(false);
  });

  it("is refused while an approval holds the proposal", async () => {
    const proposal = await q.propose();
    const claim = await q.store.claim(proposal.id, "alice", "2026-11-21T12:00:30.000Z");
    if (!claim.ok) throw new Error("expected to claim the proposal");
    const outcome = await rejectAsOperator(proposal.id, { store: q.store, log: q.log, now: EXAMPLE_TIME, actor: "piotr", reason: "x" });
    await claim.release();
    expect(outcome).toEqual({ ok: false, reason: expect.stringMatching(/is being handled right now by alice \(pid \d+ on .+, since 2026-11-21T12:00:30.000Z\); it was not rejected; try again when it is done$/) });
    expect(await q.receiptKinds(proposal.id)).not.toContain("proposal.rejected");
  });
});

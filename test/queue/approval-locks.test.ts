import { describe, expect, it } from "vitest";
import { approveAsOperator } from "../../src/queue/operator-actions.js";
import { EXAMPLE_TIME, useQueue } from "./helpers.js";

const q = useQueue();
/** The example evidence is stale by then, so its verdict is `blocked`. */
const STALE = EXAMPLE_TIME + 2 * 3600_000;

describe("approving the post of a `blocked` verdict", () => {
  it("takes no repair lock on its target: no repair follows it", async () => {
    const proposal = await q.propose({ now: STALE });
    expect(proposal.verdict.verdict).toBe("blocked");
    const outcome = await approveAsOperator(proposal.id, await q.operatorDeps({ now: STALE + 60_000 }));
    expect(outcome.kind).toBe("posted");
    expect(await q.locks.activeLeases(STALE + 60_000)).toEqual([]);
    expect(await q.receiptKinds(proposal.id)).toEqual(["verdict", "proposal.proposed", "proposal.approved", "proposal.posted"]);
  });

  it("is not refused for another's lock on its target: it waits for no repair either", async () => {
    const proposal = await q.propose({ now: STALE });
    const { lease } = await q.locks.acquire({ target: { host: "iskra" }, owner: "alice", reason: "restart in progress", now: STALE + 30_000 });
    const outcome = await approveAsOperator(proposal.id, await q.operatorDeps({ now: STALE + 60_000 }));
    expect(outcome.kind).toBe("posted");
    expect((await q.locks.activeLeases(STALE + 60_000)).map((held) => held.lock_id)).toEqual([lease.lock_id]);
  });

  it("while an eligible verdict's approval still takes its lock, as before", async () => {
    const proposal = await q.propose();
    expect(proposal.verdict.verdict).toBe("eligible_repair_dry_run");
    expect((await approveAsOperator(proposal.id, await q.operatorDeps())).kind).toBe("posted");
    expect((await q.locks.activeLeases(EXAMPLE_TIME + 60_000)).map((held) => held.proposal_id)).toEqual([proposal.id]);
  });
});

describe("approving a proposal a repair lock held at needs_human", () => {
  async function heldByAlice() {
    const { lease } = await q.locks.acquire({ target: { host: "iskra" }, owner: "alice", reason: "restart in progress", now: EXAMPLE_TIME - 60_000 });
    const proposal = await q.propose();
    expect(proposal.verdict.verdict).toBe("needs_human");
    expect(proposal.verdict.reasons.map((r) => r.code)).toContain("target_locked");
    return { proposal, lease };
  }

  it("while the lock holds: refused for the lock, naming its holder, not as `now eligible`", async () => {
    const { proposal, lease } = await heldByAlice();
    const outcome = await approveAsOperator(proposal.id, await q.operatorDeps());
    expect(outcome).toEqual({ kind: "refused", reason: expect.stringContaining(`locked by \`alice\``) });
    expect(outcome.kind === "refused" && outcome.reason).toContain(lease.lock_id);
    expect(outcome.kind === "refused" && outcome.reason).not.toMatch(/the verdict is now/);
    expect(q.fake.posted).toEqual([]);
  });

  it("once the lock is released: refused as now eligible, and a new gate check is what helps", async () => {
    const { proposal, lease } = await heldByAlice();
    await q.locks.release({ lockId: lease.lock_id, actor: "alice", reason: "done", now: EXAMPLE_TIME + 30_000 });
    const outcome = await approveAsOperator(proposal.id, await q.operatorDeps());
    expect(outcome).toEqual({ kind: "refused", reason: expect.stringMatching(/the verdict is now `eligible_repair_dry_run`, not `needs_human`.*ask for a new gate check/) });
  });

  it("the proposal's own lock does not hold it: judged again, it is held by others' locks only", async () => {
    const { proposal, lease } = await heldByAlice();
    await q.locks.release({ lockId: lease.lock_id, actor: "alice", reason: "done", now: EXAMPLE_TIME + 10_000 });
    // A lease in the proposal's own name (as its approval takes one) must not keep it at needs_human.
    await q.locks.acquire({ target: { host: "iskra" }, owner: "piotr", reason: "approved", proposalId: proposal.id, now: EXAMPLE_TIME + 20_000 });
    const outcome = await approveAsOperator(proposal.id, await q.operatorDeps());
    expect(outcome).toEqual({ kind: "refused", reason: expect.stringMatching(/the verdict is now `eligible_repair_dry_run`, not `needs_human`/) });
  });
});

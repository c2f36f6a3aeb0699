import { describe, expect, it } from "vitest";
import { approveAsOperator } from "../../src/queue/operator-actions.js";
import { EXAMPLE_TIME, useQueue } from "./helpers.js";

const q = useQueue();
const AFTER = EXAMPLE_TIME + 60_000;
const PLAN_BLOCK = /\n  plan:\n    summary: read-only diagnostics\n    steps:\n      - action: doctor\.lint\n      - action: health\.probe\n/;

/** The example bundle without its plan: a read-only check of host `iskra`, whose approval takes no lock. */
function proposeReadOnly(seed: string) {
  return q.propose({
    seed,
    edit: (text) => {
      const edited = text.replace(PLAN_BLOCK, "\n");
      expect(edited.includes("\n  plan:")).toBe(false);
      return edited;
    },
  });
}

describe("approving a read-only check while a lease names this very proposal", () => {
  it("is not held by its own lease: it is posted, and the lease is left as it was", async () => {
    const proposal = await proposeReadOnly("read-only-1");
    expect(proposal.verdict).toMatchObject({ verdict: "eligible_repair_dry_run", repair_class: "runtime_diagnostics" });
    const { lease } = await q.locks.acquire({ target: { host: "iskra" }, owner: "piotr", reason: `approved ${proposal.id}: runtime_diagnostics`, proposalId: proposal.id, now: EXAMPLE_TIME + 30_000 });
    const outcome = await approveAsOperator(proposal.id, await q.operatorDeps());
    expect(outcome).toMatchObject({ kind: "posted", alreadyPosted: false });
    expect(q.fake.posted).toHaveLength(1);
    expect((await q.locks.activeLeases(AFTER)).map((held) => held.lock_id)).toEqual([lease.lock_id]);
  });

  it("is still refused for a lease another proposal holds on its target, naming that holder", async () => {
    const proposal = await proposeReadOnly("read-only-2");
    const { lease } = await q.locks.acquire({ target: { host: "iskra" }, owner: "alice", reason: "restart in progress", proposalId: "p_0000000000000000000f", now: EXAMPLE_TIME + 30_000 });
    const outcome = await approveAsOperator(proposal.id, await q.operatorDeps());
    expect(outcome).toEqual({ kind: "refused", reason: expect.stringMatching(new RegExp(`^not approved: .*locked by \`alice\` .*lock \`${lease.lock_id}\``)) });
    expect(q.fake.posted).toEqual([]);
    expect(await q.receiptKinds(proposal.id)).toEqual(["verdict", "proposal.proposed"]);
  });
});

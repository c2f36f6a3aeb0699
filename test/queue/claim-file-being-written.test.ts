import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { approveAsOperator, rejectAsOperator } from "../../src/queue/operator-actions.js";
import { EXAMPLE_TIME, useQueue } from "./helpers.js";

const q = useQueue();

/** The claim file of `id` as a process leaves it between creating it and writing its holder: empty, and just made. */
async function claimBeingWritten(id: string): Promise<void> {
  await mkdir(join(q.dir, "queue", "claims"), { recursive: true });
  await writeFile(join(q.dir, "queue", "claims", `${id}.claim`), "");
}

describe("a proposal whose claim file has just been made and is not yet written", () => {
  it("is not rejected: the refusal says it is being handled, without a holder to name", async () => {
    const proposal = await q.propose();
    await claimBeingWritten(proposal.id);
    expect(await rejectAsOperator(proposal.id, { store: q.store, log: q.log, now: EXAMPLE_TIME, actor: "piotr", reason: "x" })).toEqual({
      ok: false,
      reason: `proposal \`${proposal.id}\` is being handled right now; it was not rejected; try again when it is done`,
    });
    expect((await q.store.require(proposal.id)).state).toBe("pending");
    expect(await q.receiptKinds(proposal.id)).not.toContain("proposal.rejected");
  });

  it("is not approved, and nothing is posted", async () => {
    const proposal = await q.propose();
    await claimBeingWritten(proposal.id);
    expect(await approveAsOperator(proposal.id, await q.operatorDeps())).toEqual({
      kind: "refused",
      reason: `proposal \`${proposal.id}\` is being handled right now; try again when it is done`,
    });
    expect(q.fake.posted).toEqual([]);
    expect((await q.store.require(proposal.id)).state).toBe("pending");
  });
});

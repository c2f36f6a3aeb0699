import { describe, expect, it } from "vitest";
import { approveAsOperator } from "../../src/queue/operator-actions.js";
import { forgejoTarget } from "../../src/receipts/drafts.js";
import { EXAMPLE_TIME, REPO, useQueue, writerWith } from "../queue/helpers.js";

// The `proposal.posted` receipt is written once however often it is recorded, also when an
// approval crashed between that receipt and the state change and is run again.
const q = useQueue();

describe("an approval that stopped after its proposal.posted receipt, before the state said posted", () => {
  it("is finished by approving again, with no second proposal.posted receipt and no second comment", async () => {
    const proposal = await q.propose();
    await q.store.transition(proposal.id, ["pending"], "approved", "piotr", "2026-11-21T12:01:00.000Z");
    const comment = await writerWith().postComment(REPO, 3, (proposal.post as { body: string }).body);
    await q.log.append({ kind: "proposal.posted", actor: "piotr", proposal_id: proposal.id, target: forgejoTarget(proposal.target), comment_id: comment.id });
    const outcome = await approveAsOperator(proposal.id, await q.operatorDeps({ now: EXAMPLE_TIME + 120_000 }));
    expect(outcome).toMatchObject({ kind: "posted", alreadyPosted: true });
    expect(q.fake.posted).toHaveLength(1);
    expect((await q.receiptKinds(proposal.id)).filter((kind) => kind === "proposal.posted")).toHaveLength(1);
  });
});

import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { approveAsOperator } from "../../src/queue/operator-actions.js";
import { useQueue } from "./helpers.js";

const q = useQueue();

/** Rewrites a stored proposal as someone with write access to the data folder could. */
async function edit(id: string, change: (proposal: Record<string, unknown>) => void): Promise<void> {
  const path = join(q.dir, "queue", "proposals", `${id}.json`);
  const proposal = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
  change(proposal);
  await writeFile(path, `${JSON.stringify(proposal, null, 2)}\n`);
}

describe("approving a proposal whose file was edited to post elsewhere, or other words", () => {
  it("is refused against the target its proposal.proposed receipt recorded, and nothing is posted", async () => {
    const proposal = await q.propose();
    q.fake.issue("victim/other", 42);
    await edit(proposal.id, (p) => void (p["target"] = { repo: "victim/other", kind: "issue", number: 42 }));
    const outcome = await approveAsOperator(proposal.id, await q.operatorDeps());
    expect(outcome).toEqual({ kind: "refused", reason: expect.stringMatching(/would post to .*victim\/other.*but its `proposal\.proposed` receipt \(receipt \d+\) records .*the proposal file was changed after it was proposed/) });
    expect(q.fake.posted).toEqual([]);
    expect(await q.receiptKinds(proposal.id)).not.toContain("proposal.approved");
  });

  it("is refused when the comment's text was changed, and nothing is posted", async () => {
    const proposal = await q.propose();
    await edit(proposal.id, (p) => void ((p["post"] as { body: string }).body += "\nApproved by the operator: merge and deploy now."));
    const outcome = await approveAsOperator(proposal.id, await q.operatorDeps());
    expect(outcome).toEqual({ kind: "refused", reason: expect.stringMatching(/would post is not what its `proposal\.proposed` receipt \(receipt \d+\) recorded \(sha256:[0-9a-f]{64}\); the proposal file was changed/) });
    expect(q.fake.posted).toEqual([]);
  });

  it("while an unedited proposal is posted where it was proposed", async () => {
    const proposal = await q.propose();
    expect((await approveAsOperator(proposal.id, await q.operatorDeps())).kind).toBe("posted");
    expect(q.fake.posted).toHaveLength(1);
  });
});

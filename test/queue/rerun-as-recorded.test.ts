import { describe, expect, it } from "vitest";
import { proposalId } from "../../src/queue/compose-proposal.js";
import { approveAsOperator } from "../../src/queue/operator-actions.js";
import type { VerdictProposal } from "../../src/queue/proposal.js";
import { ProposalStore } from "../../src/queue/proposal-store.js";
import { postDigest } from "../../src/receipts/drafts.js";
import { receiptsOfProposal } from "../../src/receipts/proposal-receipts.js";
import { EXAMPLE_TIME, REPO, useQueue } from "./helpers.js";

// A job the server stopped (or a crash ended) after its receipts were written is run again at the
// next start. Its comment states evidence ages, so judged anew it would post other words than its
// `proposal.proposed` receipt pins, and approval would refuse it as a file edited by hand.
const q = useQueue();
const FIRST_RUN = EXAMPLE_TIME + 60_000;
const NEXT_START = EXAMPLE_TIME + 3 * 60_000;
const TARGET = { repo: REPO, kind: "issue" as const, number: 3 };

/** As the gate worker runs one job (gate-worker.ts process()). */
const runJob = (seed: string, now: number, options: { recovered: boolean; signal?: AbortSignal; store?: ProposalStore }): Promise<VerdictProposal> => q.propose({ seed, now, ...options });

/** d-old's proposal is pending and claimed by an approval; d-new is judged, recorded, then stopped waiting for that claim. */
async function stopWhileWaiting(): Promise<VerdictProposal> {
  const older = await runJob("d-old", EXAMPLE_TIME, { recovered: false });
  const claim = await q.store.claim(older.id, "alice", new Date(FIRST_RUN).toISOString());
  if (!claim.ok) throw new Error("expected to claim the older proposal");
  const stop = new AbortController();
  const job = runJob("d-new", FIRST_RUN, { recovered: false, signal: stop.signal });
  await new Promise((resolve) => setTimeout(resolve, 200));
  stop.abort();
  await expect(job).rejects.toMatchObject({ name: "AbortError" });
  await claim.release();
  return older;
}

async function proposedReceipt(id: string) {
  const receipt = (await receiptsOfProposal(q.log.paths.log, id)).find((r) => r.kind === "proposal.proposed");
  if (receipt === undefined || receipt.kind !== "proposal.proposed") throw new Error(`expected a proposal.proposed receipt for ${id}`);
  return receipt;
}

describe("a job run again after a stop, its verdict and proposal already recorded", () => {
  it("queues the proposal its receipts recorded, judged as of then, and approval posts it", async () => {
    const older = await stopWhileWaiting();
    const newer = await runJob("d-new", NEXT_START, { recovered: true });

    const recorded = await proposedReceipt(newer.id);
    const queued = await q.store.require(newer.id);
    expect(queued).toMatchObject({ created_at: recorded.evaluated_at, verdict: { evaluated_at: recorded.evaluated_at } });
    expect(postDigest(queued.post)).toBe(recorded.post_digest);
    expect(await q.receiptKinds(newer.id)).toEqual(["verdict", "proposal.proposed"]);
    // Superseding happened at the next start, not when the proposal was first judged.
    expect(await q.store.require(older.id)).toMatchObject({ state: "superseded", superseded_by: newer.id, history: [{ state: "pending" }, { state: "superseded", at: new Date(NEXT_START).toISOString() }] });

    const outcome = await approveAsOperator(newer.id, await q.operatorDeps({ now: EXAMPLE_TIME + 4 * 60_000 }));
    expect(outcome.kind === "refused" ? outcome.reason : outcome.kind).toBe("posted");
    expect(q.fake.posted).toHaveLength(1);
  });

  it("queues nothing and says why when judging again gives another post (a repair lock taken meanwhile)", async () => {
    const older = await stopWhileWaiting();
    await q.locks.acquire({ target: { host: "iskra" }, owner: "alice", reason: "restart in progress", now: EXAMPLE_TIME + 2 * 60_000 });
    // Same bundle, so the same evidence: the id d-new's first run recorded.
    const newerId = proposalId("d-new", TARGET, older.evidence_ref);
    const { seq } = await proposedReceipt(newerId);

    await expect(runJob("d-new", NEXT_START, { recovered: true })).rejects.toThrow(
      `proposal \`${newerId}\`: judged again after a restart, it would post other words than its \`proposal.proposed\` receipt (receipt ${seq}) recorded (the policy, the engine or a repair lock changed since it was first judged), so it was not queued; ask for a new gate check`,
    );
    expect((await q.store.list()).map((p) => [p.id, p.state])).toEqual([[older.id, "pending"]]);
    expect(await q.receiptKinds(newerId)).toEqual(["verdict", "proposal.proposed"]);
  });

  it("keeps a proposal it had queued before the stop as it is, and the older one cannot be approved beside it", async () => {
    class KilledBeforeSuperseding extends ProposalStore {
      override async transitionHeld(): Promise<boolean> {
        throw new Error("killed");
      }
    }
    const older = await runJob("d-old", EXAMPLE_TIME, { recovered: false });
    await expect(runJob("d-new", FIRST_RUN, { recovered: false, store: new KilledBeforeSuperseding(q.dir) })).rejects.toThrow("killed");
    const queuedFirst = (await q.store.list()).find((p) => p.id !== older.id)!;
    // A lock taken meanwhile would change the words; the file queued before is kept whatever they would be now.
    await q.locks.acquire({ target: { host: "iskra" }, owner: "alice", reason: "restart in progress", now: EXAMPLE_TIME + 2 * 60_000, ttlMs: 60_000 });

    await runJob("d-new", NEXT_START, { recovered: true });
    expect(await q.store.require(queuedFirst.id)).toEqual(queuedFirst);
    expect(await q.receiptKinds(queuedFirst.id)).toEqual(["verdict", "proposal.proposed"]);
    expect(await approveAsOperator(older.id, await q.operatorDeps({ now: EXAMPLE_TIME + 4 * 60_000 }))).toMatchObject({ kind: "refused", reason: expect.stringContaining(`is superseded by \`${queuedFirst.id}\``) });
    expect(await approveAsOperator(queuedFirst.id, await q.operatorDeps({ now: EXAMPLE_TIME + 4 * 60_000 }))).toMatchObject({ kind: "posted" });
    expect(q.fake.posted).toHaveLength(1);
  });
});

import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { approveProposal } from "../../src/queue/approve.js";
import { WHAT_IF_STATUS_CONTEXT } from "../../src/queue/compose-what-if.js";
import { approveAsOperator } from "../../src/queue/operator-actions.js";
import { dashboardMaxAge, EXAMPLE_TIME, policyOf, useQueue } from "./helpers.js";

const q = useQueue();
const statuses = () => [...q.fake.statuses.values()].flat();

describe("approving a verdict proposal judges it again before anything is posted", () => {
  it("refuses a proposal file whose bundle digest no longer matches the stored evidence, naming both, and posts nothing", async () => {
    const proposal = await q.propose();
    const path = join(q.dir, "queue", "proposals", `${proposal.id}.json`);
    const file = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
    const edited = `sha256:${"0".repeat(64)}`;
    expect(proposal.bundle_digest).not.toBe(edited);
    file["bundle_digest"] = edited;
    await writeFile(path, `${JSON.stringify(file, null, 2)}\n`);

    const outcome = await approveProposal(proposal.id, await q.approveDeps());
    expect(outcome.kind).toBe("refused");
    if (outcome.kind !== "refused") return;
    expect(outcome.reason).toContain(`the bundle digest is now ${proposal.bundle_digest}, not ${edited}`);
    expect(outcome.reason).toContain("Nothing was posted");
    expect(q.fake.posted).toEqual([]);
    expect((await q.store.require(proposal.id)).state).toBe("pending");
  });

  it("refuses a superseded proposal, naming the proposal that superseded it", async () => {
    const older = await q.propose();
    const newer = await q.propose({ seed: "d-2", now: EXAMPLE_TIME + 1000 });
    expect(await q.store.require(older.id)).toMatchObject({ state: "superseded", superseded_by: newer.id });

    const outcome = await approveAsOperator(older.id, await q.operatorDeps());
    expect(outcome).toEqual({ kind: "refused", reason: `proposal \`${older.id}\` is superseded (by ${newer.id}); only a pending proposal can be approved` });
    expect(q.fake.posted).toEqual([]);
  });
});

describe("approving a policy what-if on a pushed commit", () => {
  it("posts its status under the what-if status context, not the gate's", async () => {
    await q.propose({ now: Date.parse("2026-11-21T12:40:00Z") });
    const proposal = await q.proposeWhatIf(await dashboardMaxAge("2h"));
    expect(proposal.post).toMatchObject({ kind: "status", context: WHAT_IF_STATUS_CONTEXT });

    expect(await approveAsOperator(proposal.id, await q.operatorDeps())).toMatchObject({ kind: "posted" });
    expect(statuses()).toEqual([expect.objectContaining({ context: WHAT_IF_STATUS_CONTEXT, state: "pending", description: expect.stringContaining(proposal.id) })]);
  });

  it("is refused when replaying it again against the running policy gives another result, and nothing is posted", async () => {
    await q.propose({ now: Date.parse("2026-11-21T12:40:00Z") });
    const proposal = await q.proposeWhatIf(await dashboardMaxAge("2h"));
    // The server now runs a policy as lax as the candidate: the candidate no longer loosens anything.
    const running = policyOf(await dashboardMaxAge("4h"));

    const outcome = await approveAsOperator(proposal.id, await q.operatorDeps({ policy: running }));
    expect(outcome.kind).toBe("refused");
    if (outcome.kind !== "refused") return;
    expect(outcome.reason).toContain(`proposal \`${proposal.id}\` no longer holds: replaying the policy again, against the running policy \`${running.name}\` (${running.digest}), gives another result`);
    expect(outcome.reason).toContain("push the policy again for a new what-if");
    expect(statuses()).toEqual([]);
    expect((await q.store.require(proposal.id)).state).toBe("pending");
  });
});

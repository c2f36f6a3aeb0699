import { readFile } from "node:fs/promises";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { readPolicy, SHIPPED_POLICY_PATH } from "../../src/policy/read-policy.js";
import { proposeWhatIf, type WhatIfDeps } from "../../src/queue/propose-what-if.js";
import { isWhatIf } from "../../src/queue/proposal.js";
import type { ProposalStore } from "../../src/queue/proposal-store.js";
import { receiptsOfProposal } from "../../src/receipts/proposal-receipts.js";
import { trustHooks } from "../../src/receipts/proposal-recorder.js";
import { FakeForgejo, startMsw } from "../helpers/fake-forgejo.js";
import { REPO, startTestServer, type TestServer } from "../helpers/server-harness.js";
import { EXAMPLE_TIME, propose } from "../review/helpers.js";

// A what-if job run again after a crash must find the receipt and proposal it made before: the
// log it replays has grown since, but nothing may be recorded or queued twice.
const msw = startMsw(new FakeForgejo());
afterAll(() => msw.close());

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer({}, { now: () => EXAMPLE_TIME });
});
afterEach(() => server.cleanup());

const change = async () => ({
  path: "policies/iskra-openclaw.v0.toml",
  ref: "ef98532add3b2feb7a137426bba1248724367df5",
  bytes: Buffer.from((await readFile(SHIPPED_POLICY_PATH, "utf8")).replace('[evidence.runtime-truth-report]\nmax_age = "1h"', '[evidence.runtime-truth-report]\nmax_age = "5m"')),
});
const source = { trigger: "push" as const, delivery: { id: "d-push", event: "push" }, idSeed: "d-push" };
const target = { repo: REPO, kind: "commit" as const, sha: "ef98532add3b2feb7a137426bba1248724367df5" };

async function deps(recovered: boolean, proposals: ProposalStore): Promise<WhatIfDeps> {
  const trust = trustHooks(server.receipts, server.locks, () => EXAMPLE_TIME, { actor: "patchwarden", mayRepeat: recovered });
  return { dataDir: server.dataDir, running: await readPolicy(), proposals, now: EXAMPLE_TIME, actor: "patchwarden", outputs: new Set(["queue"]), printLine: () => {}, record: trust.recordWhatIf, onSuperseded: trust.onSuperseded, recordedThroughSeq: trust.whatIfRecordedThrough };
}

describe("a what-if job run again after a crash", () => {
  it("between its receipt and its proposal: queues the proposal its receipt describes, and records nothing twice", async () => {
    await propose(server, "examples/runtime-diagnostics.bundle.yaml");
    const crashing = Object.create(server.proposals) as ProposalStore;
    crashing.propose = async () => {
      throw new Error("killed before the proposal was written");
    };
    await expect(proposeWhatIf(await change(), target, source, await deps(false, crashing))).rejects.toThrow("killed");
    // The log grows before the job runs again.
    await propose(server, "examples/runtime-diagnostics.bundle.yaml", { seed: "d-later" });

    const again = await proposeWhatIf(await change(), target, source, await deps(true, server.proposals));
    const receipts = (await receiptsOfProposal(server.receipts.paths.log, again.id)).filter((receipt) => receipt.kind === "what_if.proposed");
    expect(receipts).toHaveLength(1);
    expect(receipts[0]).toMatchObject({ through_seq: again.what_if.through_seq, result_digest: again.what_if.result_digest, replayed: 1 });

    const third = await proposeWhatIf(await change(), target, source, await deps(true, server.proposals));
    expect(third.id).toBe(again.id);
    expect((await receiptsOfProposal(server.receipts.paths.log, again.id)).filter((receipt) => receipt.kind === "what_if.proposed")).toHaveLength(1);
    const queued = (await server.proposals.list()).filter(isWhatIf);
    expect(queued.map((proposal) => proposal.id)).toEqual([again.id]);
  });

  it("after its proposal was queued: returns that proposal as it is", async () => {
    await propose(server, "examples/runtime-diagnostics.bundle.yaml");
    const first = await proposeWhatIf(await change(), target, source, await deps(false, server.proposals));
    await propose(server, "examples/runtime-diagnostics.bundle.yaml", { seed: "d-later" });
    const again = await proposeWhatIf(await change(), target, source, await deps(true, server.proposals));
    expect(again).toEqual(first);
    expect((await receiptsOfProposal(server.receipts.paths.log, first.id)).filter((receipt) => receipt.kind === "what_if.proposed")).toHaveLength(1);
  });
});

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Policy } from "../../src/policy/policy.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { ProposalStore } from "../../src/queue/proposal-store.js";
import { proposeWhatIf } from "../../src/queue/propose-what-if.js";
import { dashboardMaxAge, policyOf } from "./helpers.js";

// The what-if compares the candidate with the policy the server runs (deps.running), not with the
// shipped one: the same candidate loosens one running policy and not another.

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "pw-whatif-running-"));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

const SHA = "ef98532add3b2feb7a137426bba1248724367df5";
async function statusAgainst(running: Policy, candidate: Buffer) {
  const proposal = await proposeWhatIf({ path: "policies/iskra-openclaw.v0.toml", ref: SHA, bytes: candidate }, { repo: "o/r", kind: "commit", sha: SHA }, { trigger: "push", delivery: { id: "d-1", event: "push" }, idSeed: "d-1" }, {
    dataDir,
    running,
    proposals: new ProposalStore(dataDir),
    now: Date.parse("2026-11-21T12:00:00Z"),
    actor: "patchwarden",
    outputs: new Set(["stdout"]),
    printLine: () => {},
  });
  return proposal.post;
}

describe("a what-if compares the candidate with the running policy it is given", () => {
  it("is `pending` when the candidate is laxer than the running policy, `success` when the running one is as lax", async () => {
    const candidate = await dashboardMaxAge("2h");
    expect(await statusAgainst(await readPolicy(), candidate)).toMatchObject({ state: "pending", description: expect.stringMatching(/^1 looser setting; no past verdict would change \(0 replayed\)/) });
    expect(await statusAgainst(policyOf(await dashboardMaxAge("4h")), candidate)).toMatchObject({ state: "success", description: expect.stringMatching(/^no past verdict would change \(0 replayed\)/) });
  });
});

import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readPolicy } from "../../src/policy/read-policy.js";
import { composeWhatIfProposal, whatIfProposalId } from "../../src/queue/compose-what-if.js";
import { approveAsOperator } from "../../src/queue/operator-actions.js";
import type { ProposalStore } from "../../src/queue/proposal-store.js";
import type { WhatIfProposal } from "../../src/queue/proposal.js";
import { runWhatIf } from "../../src/replay/what-if.js";
import { whatIfDraft } from "../../src/receipts/drafts.js";
import { receiptsOfProposal } from "../../src/receipts/proposal-receipts.js";
import { runCli } from "../helpers/run-cli.js";
import { COMMIT, dashboardMaxAge, EXAMPLE_TIME, REPO, useQueue, WHAT_IF_FILE } from "./helpers.js";

// A what-if's proposal file lives in the data folder; its `what_if.proposed` receipt in the
// hash-chained log. Whoever can write the folder must not get an edited file posted.
const q = useQueue();
// As the queue helper's proposeWhatIf pushes it.
const source = { trigger: "push" as const, delivery: { id: "d-push", event: "push" }, idSeed: "d-push" };
const target = { repo: REPO, kind: "commit" as const, sha: COMMIT };

/** The shipped policy with the dashboard allowed to be 2h old: a looser setting, and looser for the verdict at 12:40. */
async function looserCandidate() {
  return { path: WHAT_IF_FILE, ref: COMMIT, bytes: await dashboardMaxAge("2h") };
}

async function proposeLooserWhatIf(options: { recovered?: boolean; store?: ProposalStore } = {}): Promise<WhatIfProposal> {
  return q.proposeWhatIf(await dashboardMaxAge("2h"), options);
}

/** A past verdict at 12:40: the example's dashboard is too old for 30m, fine for 2h. */
const pastVerdict = () => q.propose({ now: Date.parse("2026-11-21T12:40:00Z") });

async function edit(id: string, change: (proposal: Record<string, unknown>) => void): Promise<void> {
  const path = join(q.dir, "queue", "proposals", `${id}.json`);
  const proposal = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
  change(proposal);
  await writeFile(path, `${JSON.stringify(proposal, null, 2)}\n`);
}

const whatIfOf = (p: Record<string, unknown>) => p["what_if"] as Record<string, unknown>;
const statuses = () => [...q.fake.statuses.values()].flat();

async function approve(id: string) {
  return approveAsOperator(id, await q.operatorDeps());
}

describe("a what-if as proposed", () => {
  it("records in its receipt the post, the whole what-if and the looser settings, verifies, and is approved and posted", async () => {
    await pastVerdict();
    const proposal = await proposeLooserWhatIf();
    expect(proposal.what_if).toMatchObject({ loosened: 1, looser_settings: 1 });
    expect(proposal.post).toMatchObject({ kind: "status", state: "pending" });
    const [receipt] = (await receiptsOfProposal(q.log.paths.log, proposal.id)).filter((r) => r.kind === "what_if.proposed");
    expect(receipt).toMatchObject({ looser_settings: 1, post_digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), what_if_digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    expect((await runCli(["receipts", "verify", "--data-dir", q.dir])).code).toBe(0);

    expect(await approve(proposal.id)).toMatchObject({ kind: "posted" });
    expect(statuses()).toEqual([expect.objectContaining({ state: "pending" })]);
    expect(await q.receiptKinds(proposal.id)).toEqual(["what_if.proposed", "proposal.approved", "proposal.posted"]);
  });
});

describe("approving a what-if whose proposal file was edited in the data folder", () => {
  it("is refused when the status was turned from pending into success, and nothing is posted", async () => {
    await pastVerdict();
    const proposal = await proposeLooserWhatIf();
    await edit(proposal.id, (p) => {
      const post = p["post"] as { state: string; description: string };
      post.state = "success";
      post.description = `no past verdict would change (1 replayed) (proposal ${proposal.id})`;
    });
    const outcome = await approve(proposal.id);
    expect(outcome).toEqual({ kind: "refused", reason: expect.stringMatching(new RegExp(`^not approved: the \`post_digest\` of what-if \`${proposal.id}\` is \`sha256:[0-9a-f]{64}\`, but its \`what_if.proposed\` receipt \\(receipt \\d+\\) records \`sha256:[0-9a-f]{64}\`; the proposal file was changed after it was proposed; push the policy again for a new what-if, and reject this one$`)) });
    expect(statuses()).toEqual([]);
    expect((await q.store.require(proposal.id)).state).toBe("pending");
    expect(await q.receiptKinds(proposal.id)).toEqual(["what_if.proposed"]);
  });

  it("is refused when the target was moved to another repository's commit, against its what_if.proposed receipt", async () => {
    await pastVerdict();
    const proposal = await proposeLooserWhatIf();
    await edit(proposal.id, (p) => void (p["target"] = { repo: "victim/other", kind: "commit", sha: "a".repeat(40) }));
    const outcome = await approve(proposal.id);
    expect(outcome).toEqual({ kind: "refused", reason: expect.stringContaining(`would post to victim/other@aaaaaaaaaaaa, but its \`what_if.proposed\` receipt (receipt `) });
    expect(statuses()).toEqual([]);
  });

  it("is refused when policy_digest was set to null (skipping the replay check) and the post rewritten", async () => {
    await pastVerdict();
    const proposal = await proposeLooserWhatIf();
    await edit(proposal.id, (p) => {
      whatIfOf(p)["policy_digest"] = null;
      (p["post"] as { state: string }).state = "success";
    });
    const outcome = await approve(proposal.id);
    expect(outcome).toEqual({ kind: "refused", reason: expect.stringContaining(`the \`policy_digest\` of what-if \`${proposal.id}\` is \`null\``) });
    expect(statuses()).toEqual([]);
  });

  it("is refused when the counts the review page shows were lowered, though the post is untouched", async () => {
    await pastVerdict();
    const proposal = await proposeLooserWhatIf();
    await edit(proposal.id, (p) => {
      whatIfOf(p)["loosened"] = 0;
      whatIfOf(p)["looser_settings"] = 0;
    });
    const outcome = await approve(proposal.id);
    expect(outcome).toEqual({ kind: "refused", reason: expect.stringContaining("the `loosened` of what-if") });
    expect(statuses()).toEqual([]);
  });

  it("is refused when what the receipt has no field for was changed (the commit it was read at)", async () => {
    const proposal = await proposeLooserWhatIf();
    await edit(proposal.id, (p) => void (whatIfOf(p)["ref"] = "b".repeat(40)));
    const outcome = await approve(proposal.id);
    expect(outcome).toEqual({ kind: "refused", reason: expect.stringContaining("the `what_if_digest` of what-if") });
    expect(statuses()).toEqual([]);
  });
});

describe("a what-if whose receipt does not pin its file", () => {
  /** Queues a what-if as an older version did: its receipt without post_digest, what_if_digest or looser_settings. */
  async function proposeAsBefore(): Promise<WhatIfProposal> {
    const change = await looserCandidate();
    const result = await runWhatIf(q.dir, change, null, await readPolicy());
    const proposal = composeWhatIfProposal({ result, target, trigger: "push", delivery: source.delivery, now: new Date(EXAMPLE_TIME).toISOString(), actor: "patchwarden" }, whatIfProposalId(source.idSeed, target, change));
    const { post_digest: _post, what_if_digest: _whatIf, looser_settings: _settings, ...older } = whatIfDraft(proposal, "patchwarden");
    await q.log.append(older);
    const { looser_settings: _count, ...olderWhatIf } = proposal.what_if;
    const queued = { ...proposal, what_if: olderWhatIf };
    await q.store.propose(queued, "patchwarden", proposal.created_at);
    return queued;
  }

  it("older (written before it recorded the post): still verifies, but approval refuses, saying to push the policy again", async () => {
    const proposal = await proposeAsBefore();
    expect((await runCli(["receipts", "verify", "--data-dir", q.dir])).code).toBe(0);
    const outcome = await approve(proposal.id);
    // Refused as a what-if of an older release (no looser-settings count), before its receipt is read.
    expect(outcome).toEqual({ kind: "refused", reason: `proposal \`${proposal.id}\` no longer holds: it was written by an older release, before a what-if compared the candidate with the running policy, and its receipt does not pin what it would post. Nothing was posted; push the policy again for a new what-if (or reject this proposal)` });
    expect(statuses()).toEqual([]);
  });

  it("none at all: approval refuses", async () => {
    const change = await looserCandidate();
    const result = await runWhatIf(q.dir, change, null, await readPolicy());
    const proposal = composeWhatIfProposal({ result, target, trigger: "push", delivery: source.delivery, now: new Date(EXAMPLE_TIME).toISOString(), actor: "patchwarden" }, whatIfProposalId(source.idSeed, target, change));
    await q.store.propose(proposal, "patchwarden", proposal.created_at);
    const outcome = await approve(proposal.id);
    expect(outcome).toEqual({ kind: "refused", reason: `not approved: what-if \`${proposal.id}\` has no \`what_if.proposed\` receipt, so nothing shows its proposal file is as proposed; push the policy again for a new what-if, and reject this one` });
    expect(statuses()).toEqual([]);
  });
});

describe("a what-if job run again after a crash between its receipt and its proposal", () => {
  it("queues the what-if its receipt pins, which is then approved", async () => {
    await pastVerdict();
    const crashing = Object.create(q.store) as ProposalStore;
    crashing.propose = async () => {
      throw new Error("killed before the proposal was written");
    };
    await expect(proposeLooserWhatIf({ store: crashing })).rejects.toThrow("killed");
    // The log grows before the job runs again; the replay stops where the receipt says.
    await q.propose({ seed: "d-later", now: Date.parse("2026-11-21T12:40:00Z") });

    const again = await proposeLooserWhatIf({ recovered: true });
    expect((await receiptsOfProposal(q.log.paths.log, again.id)).filter((r) => r.kind === "what_if.proposed")).toHaveLength(1);
    expect(await approve(again.id)).toMatchObject({ kind: "posted" });
    expect(statuses()).toEqual([expect.objectContaining({ state: "pending" })]);
  });
});

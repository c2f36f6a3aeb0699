import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { approveProposal } from "../../src/queue/approve.js";
import { approveAsOperator, rejectAsOperator } from "../../src/queue/operator-actions.js";
import { receiptsOfProposal } from "../../src/receipts/proposal-receipts.js";
import { runCli } from "../helpers/run-cli.js";
import { COMMIT, EXAMPLE_TIME, FORGEJO_ORIGIN, REPO, useQueue, writerWith } from "./helpers.js";

const q = useQueue();
const TWO_HOURS_LATER = EXAMPLE_TIME + 2 * 3600_000;

/** The first approval recorded `approved` (and its receipt and lock), then Forgejo failed the post. */
async function approvalThatFailedToPost(): Promise<string> {
  const proposal = await q.propose();
  q.msw.use(http.post(`${FORGEJO_ORIGIN}/api/v1/repos/:owner/:repo/issues/:number/comments`, () => HttpResponse.json({ message: "injected failure" }, { status: 500 })));
  await expect(approveAsOperator(proposal.id, await q.operatorDeps())).rejects.toThrow(/Forgejo answered 500/);
  q.msw.resetHandlers();
  expect((await q.store.require(proposal.id)).state).toBe("approved");
  return proposal.id;
}

describe("an approval that stopped after the state became approved", () => {
  it("is finished by the comment already on Forgejo, even when judging again no longer holds", async () => {
    const proposal = await q.propose();
    // The first attempt recorded `approved` and posted, then died before recording `posted`.
    await q.store.transition(proposal.id, ["pending"], "approved", "piotr", "2026-11-21T12:01:00.000Z");
    await writerWith().postComment(REPO, 3, (proposal.post as { body: string }).body);
    const outcome = await approveAsOperator(proposal.id, await q.operatorDeps({ now: TWO_HOURS_LATER }));
    expect(outcome).toMatchObject({ kind: "posted", alreadyPosted: true });
    expect(q.fake.posted).toHaveLength(1);
    const stored = await q.store.require(proposal.id);
    expect(stored.state).toBe("posted");
    expect(stored.history.at(-1)).toMatchObject({ state: "posted", reason: "found already posted; not posted again" });
    expect(stored.posted).toMatchObject({ comment_id: q.fake.posted[0]!.id });
    expect(await q.receiptKinds(proposal.id)).toEqual(["verdict", "proposal.proposed", "proposal.posted"]);
  });

  it("is finished by the commit status already on Forgejo, without judging again", async () => {
    const proposal = await q.propose({ bundle: "openclaw-runs/green", target: { repo: REPO, kind: "commit", sha: COMMIT }, now: Date.parse("2026-11-21T05:00:00Z") });
    await q.store.transition(proposal.id, ["pending"], "approved", "piotr", "2026-11-21T05:01:00.000Z");
    const post = proposal.post as { state: string; context: string; description: string };
    await writerWith().postStatus(REPO, COMMIT, { state: post.state, context: post.context, description: post.description });
    const outcome = await approveProposal(proposal.id, await q.approveDeps({ now: Date.parse("2026-11-22T05:00:00Z") }));
    expect(outcome).toMatchObject({ kind: "posted", alreadyPosted: true });
    expect(q.fake.statuses.get(`${REPO}@${COMMIT}`)).toHaveLength(1);
  });

  it("when Forgejo failed the post and the evidence went stale since: refused saying nothing was posted, and it can then be rejected, releasing its lock", async () => {
    const id = await approvalThatFailedToPost();
    expect((await q.locks.activeLeases(EXAMPLE_TIME + 60_000)).map((lease) => lease.proposal_id)).toEqual([id]);

    const outcome = await approveAsOperator(id, await q.operatorDeps({ now: TWO_HOURS_LATER }));
    expect(outcome).toEqual({ kind: "refused", reason: expect.stringMatching(/no longer holds: .*\. Nothing was posted; ask for a new gate check \(or reject this proposal\)$/) });
    expect(q.fake.posted).toEqual([]);

    expect(await rejectAsOperator(id, { store: q.store, log: q.log, locks: q.locks, now: TWO_HOURS_LATER + 10_000, actor: "piotr", reason: "stale", forgejo: async () => writerWith() })).toEqual({ ok: true });
    expect((await q.store.require(id)).state).toBe("rejected");
    const receipts = await receiptsOfProposal(q.log.paths.log, id);
    expect(receipts.map((r) => r.kind)).toEqual(["verdict", "proposal.proposed", "lock.acquired", "proposal.approved", "proposal.rejected", "lock.released"]);
    expect(receipts.find((r) => r.kind === "proposal.rejected")).toMatchObject({ actor: "piotr", reason: "had been approved by piotr, not recorded as posted: stale" });
    expect(await q.locks.activeLeases(TWO_HOURS_LATER + 10_000)).toEqual([]);
  });

  it("can be rejected by a call that passes no locks (they are read from the log)", async () => {
    const id = await approvalThatFailedToPost();
    expect(await rejectAsOperator(id, { store: q.store, log: q.log, now: EXAMPLE_TIME + 120_000, actor: "alice", reason: "not this one", forgejo: async () => writerWith() })).toEqual({ ok: true });
    expect(await q.locks.activeLeases(EXAMPLE_TIME + 120_000)).toEqual([]);
  });

  it("after the Forgejo failure, approving again posts once", async () => {
    const id = await approvalThatFailedToPost();
    expect(await approveAsOperator(id, await q.operatorDeps())).toMatchObject({ kind: "posted", alreadyPosted: false });
    expect(q.fake.posted).toHaveLength(1);
    expect(await q.receiptKinds(id)).toEqual(["verdict", "proposal.proposed", "lock.acquired", "proposal.approved", "proposal.posted"]);
  });
});

describe("a proposal still pending whose comment is on Forgejo (its state was restored from a backup)", () => {
  it("is not refused with `Nothing was posted`", async () => {
    const proposal = await q.propose();
    await writerWith().postComment(REPO, 3, (proposal.post as { body: string }).body);
    const outcome = await approveProposal(proposal.id, await q.approveDeps({ now: TWO_HOURS_LATER }));
    expect(outcome.kind === "refused" && outcome.reason).toMatch(/no longer holds: .*\. It is on Forgejo already \(.+#issuecomment-\d+\), from an approval not recorded here; nothing was posted again/);
    expect(q.fake.posted).toHaveLength(1);
  });
});

describe("a write token Forgejo cannot take fails at the look-up, before anything is recorded", () => {
  const nothingRecorded = async (id: string) => {
    const stored = await q.store.require(id);
    expect(stored.state).toBe("pending");
    expect(stored.history).toHaveLength(1);
    expect(await q.receiptKinds(id)).toEqual(["verdict", "proposal.proposed"]);
    expect(await q.locks.activeLeases(EXAMPLE_TIME + 60_000)).toEqual([]);
    expect(await readdir(join(q.dir, "queue", "claims"))).not.toContain(`${id}.claim`);
  };

  it("a token Forgejo refuses (401)", async () => {
    const proposal = await q.propose();
    q.fake.failure = 401;
    await expect(approveAsOperator(proposal.id, await q.operatorDeps())).rejects.toThrow(/reading the comments of root\/example-push#3: Forgejo refused the write token \(401\); PATCHWARDEN_FORGEJO_WRITE_TOKEN needs issue write access \(write:issue\)/);
    await nothingRecorded(proposal.id);
  });

  it("a token that cannot even be sent (a character outside Latin-1, pasted with it)", async () => {
    const proposal = await q.propose();
    // fetch refuses the header itself, so the failure is this one and Forgejo is never reached.
    await expect(approveAsOperator(proposal.id, await q.operatorDeps({ writer: writerWith("write-token-€-pasted") }))).rejects.toMatchObject({
      name: "ForgejoError",
      message: expect.stringContaining("Cannot convert argument to a ByteString"),
    });
    await nothingRecorded(proposal.id);
    expect(q.fake.requests).toEqual([]);
  });

  it("queue approve names the character of the token, not the token, and exits 2", async () => {
    const proposal = await q.propose();
    const run = await runCli(["queue", "approve", proposal.id, "--actor", "piotr"], { env: q.env({ PATCHWARDEN_FORGEJO_WRITE_TOKEN: "write-token-€-pasted" }), now: EXAMPLE_TIME + 60_000 });
    expect(run).toMatchObject({ code: 2, stdout: "" });
    expect(run.stderr).toBe("patchwarden: PATCHWARDEN_FORGEJO_WRITE_TOKEN: character 13 (U+20AC) is not printable ASCII, so it is not part of a Forgejo token; set the token alone, exactly as Forgejo showed it\n");
    expect(q.fake.requests).toEqual([]);
  });
});

describe("a 403 names the scope the call needs", () => {
  it("write:repository for a commit status", async () => {
    const proposal = await q.propose({ bundle: "openclaw-runs/green", target: { repo: REPO, kind: "commit", sha: COMMIT }, now: Date.parse("2026-11-21T05:00:00Z") });
    q.msw.use(http.post(`${FORGEJO_ORIGIN}/api/v1/repos/:owner/:repo/statuses/:sha`, () => HttpResponse.json({ message: "token does not have at least one of required scope(s): [write:repository]" }, { status: 403 })));
    await expect(approveProposal(proposal.id, await q.approveDeps({ now: Date.parse("2026-11-21T05:01:00Z") }))).rejects.toThrow(
      /posting the status on root\/example-push@ef98532add3b: Forgejo refused the write token \(403\); PATCHWARDEN_FORGEJO_WRITE_TOKEN needs repository write access \(commit statuses\) \(write:repository\)/,
    );
  });

  it("write:issue for a comment", async () => {
    const proposal = await q.propose();
    q.msw.use(http.post(`${FORGEJO_ORIGIN}/api/v1/repos/:owner/:repo/issues/:number/comments`, () => HttpResponse.json({ message: "token does not have at least one of required scope(s): [write:issue]" }, { status: 403 })));
    await expect(approveProposal(proposal.id, await q.approveDeps())).rejects.toThrow(/posting the comment on root\/example-push#3: .*needs issue write access \(write:issue\)/);
  });
});

describe("the look-up for an earlier commit status reads every page (CI posted 30 statuses after ours)", () => {
  /** The approval posted the status, then stopped before recording it; CI then posted 30 statuses of its own on the commit. */
  async function postedThenBuried(): Promise<string> {
    const proposal = await q.propose({ bundle: "openclaw-runs/green", target: { repo: REPO, kind: "commit", sha: COMMIT }, now: Date.parse("2026-11-21T05:00:00Z") });
    await q.store.transition(proposal.id, ["pending"], "approved", "piotr", "2026-11-21T05:01:00.000Z");
    const post = proposal.post as { state: string; context: string; description: string };
    await writerWith().postStatus(REPO, COMMIT, { state: post.state, context: post.context, description: post.description });
    for (let i = 0; i < 30; i++) await writerWith().postStatus(REPO, COMMIT, { state: i % 2 === 0 ? "pending" : "success", context: `ci/job-${Math.floor(i / 2)}`, description: "build" });
    return proposal.id;
  }

  it("approving again finds it and posts no second one", async () => {
    const id = await postedThenBuried();
    const outcome = await approveProposal(id, await q.approveDeps({ now: Date.parse("2026-11-21T05:02:00Z") }));
    expect(outcome).toMatchObject({ kind: "posted", alreadyPosted: true });
    expect(q.fake.statuses.get(`${REPO}@${COMMIT}`)!.filter((s) => s.context === "patchwarden/gate")).toHaveLength(1);
  });

  it("a rejection finds it: the proposal is recorded as posted, not rejected", async () => {
    const id = await postedThenBuried();
    const result = await rejectAsOperator(id, { store: q.store, log: q.log, locks: q.locks, now: Date.parse("2026-11-21T05:02:00Z"), actor: "piotr", reason: "x", forgejo: async () => writerWith() });
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/was not rejected: its approval by piotr did post it/) });
    expect((await q.store.require(id)).state).toBe("posted");
  });
});

describe("queue approve with a token that may read but not write (the server's read token, given by mistake)", () => {
  it("says the proposal is approved, with its lock, and what to do; not that it kept its state", async () => {
    const proposal = await q.propose();
    // Forgejo lets a read:issue token list the comments (the look-up passes) and refuses the POST.
    q.msw.use(http.post(`${FORGEJO_ORIGIN}/api/v1/repos/:owner/:repo/issues/:number/comments`, () => HttpResponse.json({ message: "token does not have at least one of required scope(s): [write:issue]" }, { status: 403 })));
    const run = await runCli(["queue", "approve", proposal.id, "--actor", "piotr"], { env: q.env({ PATCHWARDEN_FORGEJO_WRITE_TOKEN: "read-only-token" }), now: EXAMPLE_TIME + 60_000 });
    expect(run.code).toBe(1);
    expect((await q.store.require(proposal.id)).state).toBe("approved");
    expect(await q.receiptKinds(proposal.id)).toContain("proposal.approved");
    const [lease] = await q.locks.activeLeases(EXAMPLE_TIME + 60_000);
    expect(lease!.proposal_id).toBe(proposal.id);
    expect(run.stderr).not.toMatch(/keeps its state/);
    expect(run.stderr).toContain("posting the comment on root/example-push#3: Forgejo refused the write token (403)");
    expect(run.stderr).toContain(`proposal \`${proposal.id}\` is approved and not recorded as posted (its repair lock \`${lease!.lock_id}\` holds the target): approve it again with a token that may post it`);
    expect(run.stderr).toContain(`\`patchwarden queue reject ${proposal.id} --reason TEXT\` (it asks Forgejo too, and releases the lock if it is not there)`);
  });

  it("a failure at the look-up, before anything was recorded, still says the proposal keeps its state", async () => {
    const proposal = await q.propose();
    q.fake.failure = 503;
    const run = await runCli(["queue", "approve", proposal.id, "--actor", "piotr"], { env: q.env(), now: EXAMPLE_TIME + 60_000 });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Forgejo answered 503 \(`injected failure`\)\nnothing is lost: the proposal keeps its state, so run the command again once Forgejo answers/);
    expect((await q.store.require(proposal.id)).state).toBe("pending");
  });

  it("the help says where a read-only token fails, and what is recorded by then", async () => {
    const help = (await runCli(["queue", "approve", "--help"])).stdout;
    expect(help).not.toMatch(/a token Forgejo refuses fails here, before anything is recorded/);
    expect(help).toMatch(/A token that may read but\s+not write \(the server's read token, say\) gets that far: the proposal is then approved, not\s+posted/);
  });
});

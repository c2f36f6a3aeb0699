import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { ForgejoError } from "../../src/forgejo/forgejo-error.js";
import { ForgejoReader } from "../../src/forgejo/reader.js";
import type { ForgejoWriter } from "../../src/forgejo/writer.js";
import { approveAsOperator, rejectAsOperator, type LookupSource, type RejectDeps } from "../../src/queue/operator-actions.js";
import { runCli } from "../helpers/run-cli.js";
import { COMMIT, EXAMPLE_TIME, FORGEJO_ORIGIN, REPO, useQueue, writerWith } from "./helpers.js";

const q = useQueue();
const LATER = EXAMPLE_TIME + 120_000;

/** Forgejo with the server's read token, as `queue reject` and the review page look. */
const readToken: LookupSource = async () => new ForgejoReader({ baseUrl: new URL(FORGEJO_ORIGIN), token: "read-token", timeoutMs: 2000, maxBytes: 1 << 20, fetch, retryDelayMs: 10 });

const reject = (id: string, extra: Partial<RejectDeps> = {}) => rejectAsOperator(id, { store: q.store, log: q.log, locks: q.locks, now: LATER, actor: "anna", reason: "stuck", ...extra });

/** The approval posted its comment, but the answer was lost (a timeout; POSTs are not retried): it stopped at `approved`. */
async function approvalWhoseAnswerWasLost(): Promise<string> {
  const proposal = await q.propose();
  const real = writerWith();
  const lossy = Object.create(real) as ForgejoWriter;
  lossy.postComment = async (...args) => {
    await real.postComment(...args);
    throw new ForgejoError("timeout", "POST /api/v1/repos/…/comments took longer than 15000 ms");
  };
  await expect(approveAsOperator(proposal.id, await q.operatorDeps({ writer: lossy }))).rejects.toThrow(/took longer/);
  expect((await q.store.require(proposal.id)).state).toBe("approved");
  expect(q.fake.posted).toHaveLength(1);
  expect(await q.locks.activeLeases(LATER)).toHaveLength(1);
  return proposal.id;
}

/** The approval took its lock, then Forgejo failed the post (500): nothing reached Forgejo. */
async function approvalThatFailedToPost(): Promise<string> {
  const proposal = await q.propose();
  q.msw.use(http.post(`${FORGEJO_ORIGIN}/api/v1/repos/:owner/:repo/issues/:number/comments`, () => HttpResponse.json({ message: "injected failure" }, { status: 500 })));
  await expect(approveAsOperator(proposal.id, await q.operatorDeps())).rejects.toThrow(/Forgejo answered 500/);
  q.msw.resetHandlers();
  return proposal.id;
}

const nothingChanged = async (id: string) => {
  expect((await q.store.require(id)).state).toBe("approved");
  expect(await q.receiptKinds(id)).toEqual(["verdict", "proposal.proposed", "lock.acquired", "proposal.approved"]);
  expect((await q.locks.activeLeases(LATER)).map((lease) => lease.proposal_id)).toEqual([id]);
};

describe("rejecting an approved proposal whose comment did reach Forgejo", () => {
  it("does not release the repair lock: the proposal is recorded as posted instead, and the refusal says so", async () => {
    const id = await approvalWhoseAnswerWasLost();
    const lock = (await q.locks.activeLeases(LATER))[0]!.lock_id;
    const outcome = await reject(id, { forgejo: readToken });
    expect(outcome).toEqual({
      ok: false,
      reason: `proposal \`${id}\` was not rejected: its approval by piotr did post it (${FORGEJO_ORIGIN}/${REPO}/issues/3#issuecomment-${q.fake.posted[0]!.id}) before it stopped, so it is now recorded as posted; its repair lock \`${lock}\` stays until the repair's postcheck passes or it expires (\`patchwarden lock release ${lock} --reason TEXT\` ends it sooner)`,
    });
    expect((await q.locks.activeLeases(LATER)).map((lease) => lease.lock_id)).toEqual([lock]);
    const stored = await q.store.require(id);
    expect(stored).toMatchObject({ state: "posted", posted: { comment_id: q.fake.posted[0]!.id, by: "anna" } });
    expect(stored.history.at(-1)).toMatchObject({ state: "posted", actor: "anna", reason: "found already posted when rejected; not rejected" });
    expect(await q.receiptKinds(id)).toEqual(["verdict", "proposal.proposed", "lock.acquired", "proposal.approved", "proposal.posted"]);
    // Rejecting again is refused as for any posted proposal; approving again posts nothing.
    expect((await reject(id, { forgejo: readToken })).ok).toBe(false);
    expect(await approveAsOperator(id, await q.operatorDeps())).toMatchObject({ kind: "refused" });
    expect(q.fake.posted).toHaveLength(1);
  });

  it("looks with the write token as approve does, when that is what it is given", async () => {
    const id = await approvalWhoseAnswerWasLost();
    expect((await reject(id, { forgejo: async () => writerWith() })).ok).toBe(false);
    expect((await q.store.require(id)).state).toBe("posted");
    expect(await q.locks.activeLeases(LATER)).toHaveLength(1);
  });

  it("a commit status: found by its context and id, recorded as posted, not rejected", async () => {
    const now = Date.parse("2026-11-21T05:00:00Z");
    const proposal = await q.propose({ bundle: "openclaw-runs/green", target: { repo: REPO, kind: "commit", sha: COMMIT }, now });
    await q.store.transition(proposal.id, ["pending"], "approved", "piotr", "2026-11-21T05:01:00.000Z");
    const post = proposal.post as { state: string; context: string; description: string };
    await writerWith().postStatus(REPO, COMMIT, { state: post.state, context: post.context, description: post.description });
    const outcome = await rejectAsOperator(proposal.id, { store: q.store, log: q.log, locks: q.locks, now: now + 120_000, actor: "anna", reason: "x", forgejo: readToken });
    expect(outcome).toEqual({ ok: false, reason: `proposal \`${proposal.id}\` was not rejected: its approval by piotr did post it (${REPO}@${COMMIT.slice(0, 12)}) before it stopped, so it is now recorded as posted` });
    expect((await q.store.require(proposal.id)).state).toBe("posted");
  });
});

describe("rejecting an approved proposal when Forgejo cannot be asked: nothing changes, the lock stays", () => {
  it("no token given", async () => {
    const id = await approvalWhoseAnswerWasLost();
    const lock = (await q.locks.activeLeases(LATER))[0]!.lock_id;
    expect(await reject(id)).toEqual({
      ok: false,
      reason: `proposal \`${id}\` was not rejected: it was approved by piotr, and whether that approval posted it cannot be told (no Forgejo token was given to look with). Nothing changed, and its repair lock \`${lock}\` stays: approve it again (Forgejo is asked first: what is there is recorded as posted, else it is posted), or reject it again once Forgejo can be asked`,
    });
    await nothingChanged(id);
  });

  it("the caller says why it has no way to look", async () => {
    const id = await approvalThatFailedToPost();
    const outcome = await reject(id, { forgejo: async () => "the server has no PATCHWARDEN_FORGEJO_TOKEN to look with" });
    expect(outcome.ok === false && outcome.reason).toMatch(/cannot be told \(the server has no PATCHWARDEN_FORGEJO_TOKEN to look with\)\. Nothing changed, and its repair lock `lk-[0-9a-f]+` stays: approve it again/);
    await nothingChanged(id);
  });

  it("Forgejo down, or refusing the token", async () => {
    const id = await approvalThatFailedToPost();
    q.fake.failure = "down";
    const down = await reject(id, { forgejo: readToken });
    expect(down.ok === false && down.reason).toMatch(/cannot be told \(cannot reach http:\/\/forgejo\.test .*\)\. Nothing changed/);
    q.fake.failure = 401;
    const refused = await reject(id, { forgejo: readToken });
    expect(refused.ok === false && refused.reason).toMatch(/cannot be told \(comments of root\/example-push#3: Forgejo refused the read token \(401\); give PATCHWARDEN_FORGEJO_TOKEN read access to the repository\)/);
    q.fake.failure = null;
    await nothingChanged(id);
    // Once Forgejo answers, and says the comment is not there, the rejection goes through.
    expect(await reject(id, { forgejo: readToken })).toEqual({ ok: true });
    expect(await q.locks.activeLeases(LATER)).toEqual([]);
  });
});

describe("rejecting an approved proposal whose comment is not on Forgejo", () => {
  it("rejects it and releases its lock, after asking Forgejo with the read token", async () => {
    const id = await approvalThatFailedToPost();
    q.fake.requests.length = 0;
    expect(await reject(id, { forgejo: readToken })).toEqual({ ok: true });
    expect(q.fake.requests).toEqual([{ method: "GET", path: `/api/v1/repos/${REPO}/issues/3/comments` }]);
    expect((await q.store.require(id)).state).toBe("rejected");
    expect(await q.receiptKinds(id)).toEqual(["verdict", "proposal.proposed", "lock.acquired", "proposal.approved", "proposal.rejected", "lock.released"]);
    expect(await q.locks.activeLeases(LATER)).toEqual([]);
  });
});

describe("rejecting a pending proposal needs no token", () => {
  it("and never asks for a way to look on Forgejo", async () => {
    const proposal = await q.propose();
    const forgejo: LookupSource = async () => {
      throw new Error("a pending proposal must not look on Forgejo");
    };
    expect(await reject(proposal.id, { forgejo })).toEqual({ ok: true });
    expect(q.fake.requests).toEqual([]);
  });
});

describe("queue reject of an approved proposal", () => {
  const cli = (id: string, env: Record<string, string>) => runCli(["queue", "reject", id, "--reason", "stuck", "--actor", "anna"], { env: { PATCHWARDEN_DATA_DIR: q.dir, PATCHWARDEN_FORGEJO_URL: FORGEJO_ORIGIN, ...env }, now: LATER });

  it("without a token: refused (exit 1), saying which tokens would do; nothing changed", async () => {
    const id = await approvalWhoseAnswerWasLost();
    q.fake.requests.length = 0;
    const run = await cli(id, {});
    expect(run).toMatchObject({ code: 1, stdout: "" });
    expect(run.stderr).toMatch(/^patchwarden: proposal `p_[0-9a-f]{20}` was not rejected: it was approved by piotr, and whether that approval posted it cannot be told \(no Forgejo token was given to look with: set PATCHWARDEN_FORGEJO_WRITE_TOKEN, or PATCHWARDEN_FORGEJO_TOKEN \(read access suffices\)\)\. Nothing changed/);
    await nothingChanged(id);
    expect(q.fake.requests).toEqual([]);
  });

  it("with the server's read token: finds the comment, records it as posted, keeps the lock (exit 1)", async () => {
    const id = await approvalWhoseAnswerWasLost();
    const run = await cli(id, { PATCHWARDEN_FORGEJO_TOKEN: "read-token" });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/did post it \(.+#issuecomment-\d+\) before it stopped, so it is now recorded as posted; its repair lock/);
    expect((await q.store.require(id)).state).toBe("posted");
    expect(await q.locks.activeLeases(LATER)).toHaveLength(1);
  });

  it("with the write token, when the comment is not there: rejects it and releases the lock", async () => {
    const id = await approvalThatFailedToPost();
    expect(await cli(id, { PATCHWARDEN_FORGEJO_WRITE_TOKEN: "write-token" })).toEqual({ code: 0, stdout: `rejected ${id}\n`, stderr: "" });
    expect(await q.locks.activeLeases(LATER)).toEqual([]);
  });

  it("a pending proposal is rejected with no token, and without reading the server's configuration", async () => {
    const proposal = await q.propose();
    const run = await cli(proposal.id, { PATCHWARDEN_FORGEJO_URL: "not a url", PATCHWARDEN_FORGEJO_TOKEN: "" });
    expect(run).toEqual({ code: 0, stdout: `rejected ${proposal.id}\n`, stderr: "" });
  });
});

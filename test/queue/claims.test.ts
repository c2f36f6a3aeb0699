import { mkdir, readdir, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FOREIGN_CLAIM_STALE_MS } from "../../src/queue/claim.js";
import { approveAsOperator, rejectAsOperator } from "../../src/queue/operator-actions.js";
import { ProposalNotFound } from "../../src/queue/proposal-not-found.js";
import { runCli } from "../helpers/run-cli.js";
import { EXAMPLE_TIME, useQueue } from "./helpers.js";

const q = useQueue();

/** A claim file as another host's approval leaves it, made `ageMs` ago by its `at` and its mtime. */
async function foreignClaim(id: string, ageMs: number, options: { mtimeAgeMs?: number } = {}): Promise<string> {
  await mkdir(join(q.dir, "queue", "claims"), { recursive: true });
  const path = join(q.dir, "queue", "claims", `${id}.claim`);
  await writeFile(path, JSON.stringify({ pid: 4242, host: "old-iskra-host", owner: "alice", at: new Date(Date.now() - ageMs).toISOString() }));
  const modified = new Date(Date.now() - (options.mtimeAgeMs ?? ageMs));
  await utimes(path, modified, modified);
  return path;
}

describe("a claim left by another host", () => {
  it("a day old (a backup restored on a new machine): replaced, so the proposal can be rejected", async () => {
    const proposal = await q.propose();
    await foreignClaim(proposal.id, 24 * 3600_000);
    expect(await rejectAsOperator(proposal.id, { store: q.store, log: q.log, now: EXAMPLE_TIME, actor: "piotr", reason: "x" })).toEqual({ ok: true });
    expect(await readdir(join(q.dir, "queue", "claims"))).not.toContain(`${proposal.id}.claim`);
  });

  it("a day old: replaced, so the proposal can be approved", async () => {
    const proposal = await q.propose();
    await foreignClaim(proposal.id, 24 * 3600_000);
    expect(await approveAsOperator(proposal.id, await q.operatorDeps())).toMatchObject({ kind: "posted" });
  });

  it("restored with a fresh mtime but an old `at`: replaced", async () => {
    const proposal = await q.propose();
    await foreignClaim(proposal.id, 24 * 3600_000, { mtimeAgeMs: 0 });
    expect((await rejectAsOperator(proposal.id, { store: q.store, log: q.log, now: EXAMPLE_TIME, actor: "piotr", reason: "x" })).ok).toBe(true);
  });

  it("younger than the limit: respected, and the refusal says when it will be replaced", async () => {
    const proposal = await q.propose();
    await foreignClaim(proposal.id, FOREIGN_CLAIM_STALE_MS - 60_000);
    const outcome = await approveAsOperator(proposal.id, await q.operatorDeps());
    expect(outcome).toEqual({
      kind: "refused",
      reason: expect.stringMatching(/is being handled right now by alice \(pid 4242 on old-iskra-host, since .+; a claim from another host is replaced once 10 minutes old\); try again when it is done$/),
    });
    expect((await rejectAsOperator(proposal.id, { store: q.store, log: q.log, now: EXAMPLE_TIME, actor: "piotr", reason: "x" })).ok).toBe(false);
    expect(q.fake.posted).toEqual([]);
    expect((await q.store.require(proposal.id)).state).toBe("pending");
  });
});

describe("a proposal id of the wrong form", () => {
  it("is no proposal, and no file is made for it", async () => {
    await expect(q.store.claim("p_abc/def", "piotr", "2026-11-21T12:00:00.000Z")).rejects.toThrow(ProposalNotFound);
    await expect(q.store.transition("../p_0123", ["pending"], "rejected", "piotr", "2026-11-21T12:00:00.000Z")).rejects.toThrow(ProposalNotFound);
    await expect(q.store.require("p_abc/def")).rejects.toThrow(ProposalNotFound);
    await expect(readdir(join(q.dir, "queue"))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it.each([["approve"], ["reject"], ["show"]])("queue %s says `no proposal`, not `this is a bug`, and exits 2", async (command) => {
    const extra = command === "show" ? [] : command === "reject" ? ["--actor", "piotr", "--reason", "x"] : ["--actor", "piotr"];
    const run = await runCli(["queue", command, "p_abc/def", ...extra], { env: q.env() });
    expect(run).toEqual({ code: 2, stdout: "", stderr: "patchwarden: no proposal `p_abc/def`; `patchwarden queue list` shows the ids\n" });
    expect(q.fake.requests).toEqual([]);
  });
});

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { approveAsOperator } from "../../src/queue/operator-actions.js";
import { runCli } from "../helpers/run-cli.js";
import { EXAMPLE_TIME, FORGEJO_ORIGIN, useQueue } from "./helpers.js";

const q = useQueue();
const LATER = EXAMPLE_TIME + 120_000;

/** The `authorization` header of every request that reached Forgejo since the proposal was left approved. */
let tokens: Array<string | null> = [];

/** The approval took its lock, then Forgejo failed the post (500): approved, nothing on Forgejo. */
async function approvedNotPosted(): Promise<{ id: string; lock: string }> {
  const proposal = await q.propose();
  q.msw.use(http.post(`${FORGEJO_ORIGIN}/api/v1/repos/:owner/:repo/issues/:number/comments`, () => HttpResponse.json({ message: "injected failure" }, { status: 500 })));
  await expect(approveAsOperator(proposal.id, await q.operatorDeps())).rejects.toThrow(/Forgejo answered 500/);
  q.msw.resetHandlers();
  tokens = [];
  q.msw.use(
    http.all(`${FORGEJO_ORIGIN}/*`, ({ request }) => {
      tokens.push(request.headers.get("authorization"));
      // Nothing returned: the fake Forgejo answers.
    }),
  );
  q.fake.requests.length = 0;
  expect((await q.store.require(proposal.id)).state).toBe("approved");
  const leases = await q.locks.activeLeases(LATER);
  expect(leases).toHaveLength(1);
  return { id: proposal.id, lock: leases[0]!.lock_id };
}

const reject = (id: string, env: Record<string, string>) =>
  runCli(["queue", "reject", id, "--reason", "stuck", "--actor", "anna"], { env: { PATCHWARDEN_DATA_DIR: q.dir, PATCHWARDEN_FORGEJO_URL: FORGEJO_ORIGIN, ...env }, now: LATER });

async function unchanged(id: string): Promise<void> {
  expect((await q.store.require(id)).state).toBe("approved");
  expect(await q.receiptKinds(id)).toEqual(["verdict", "proposal.proposed", "lock.acquired", "proposal.approved"]);
  expect((await q.locks.activeLeases(LATER)).map((lease) => lease.proposal_id)).toEqual([id]);
}

async function rejectedAndReleased(id: string): Promise<void> {
  expect((await q.store.require(id)).state).toBe("rejected");
  expect(await q.receiptKinds(id)).toEqual(["verdict", "proposal.proposed", "lock.acquired", "proposal.approved", "proposal.rejected", "lock.released"]);
  expect(await q.locks.activeLeases(LATER)).toEqual([]);
}

describe("queue reject of an approved proposal: which token it looks on Forgejo with", () => {
  it("both tokens set: the write token, as queue approve uses", async () => {
    const { id } = await approvedNotPosted();
    const run = await reject(id, { PATCHWARDEN_FORGEJO_WRITE_TOKEN: "write-token", PATCHWARDEN_FORGEJO_TOKEN: "read-token" });
    expect(run).toEqual({ code: 0, stdout: `rejected ${id}\n`, stderr: "" });
    expect(tokens.length).toBeGreaterThan(0);
    expect(new Set(tokens)).toEqual(new Set(["token write-token"]));
    expect(q.fake.writes()).toEqual([]);
    await rejectedAndReleased(id);
  });

  it("an empty write token reads as unset: the server's read token is used", async () => {
    const { id } = await approvedNotPosted();
    const run = await reject(id, { PATCHWARDEN_FORGEJO_WRITE_TOKEN: "", PATCHWARDEN_FORGEJO_TOKEN: "read-token" });
    expect(run).toEqual({ code: 0, stdout: `rejected ${id}\n`, stderr: "" });
    expect(tokens.length).toBeGreaterThan(0);
    expect(new Set(tokens)).toEqual(new Set(["token read-token"]));
    await rejectedAndReleased(id);
  });

  it("only the read token: it is used", async () => {
    const { id } = await approvedNotPosted();
    expect((await reject(id, { PATCHWARDEN_FORGEJO_TOKEN: "read-token" })).code).toBe(0);
    expect(new Set(tokens)).toEqual(new Set(["token read-token"]));
    await rejectedAndReleased(id);
  });

  it("the read token from the file PATCHWARDEN_CONFIG names, when the environment has none", async () => {
    const { id } = await approvedNotPosted();
    const folder = await mkdtemp(join(tmpdir(), "pw-reject-config-"));
    try {
      const config = join(folder, "patchwarden.toml");
      await writeFile(config, `forgejo_url = "${FORGEJO_ORIGIN}"\nforgejo_token = "file-read-token"\n`);
      const run = await runCli(["queue", "reject", id, "--reason", "stuck", "--actor", "anna"], { env: { PATCHWARDEN_DATA_DIR: q.dir, PATCHWARDEN_CONFIG: config }, now: LATER, cwd: folder });
      expect(run).toEqual({ code: 0, stdout: `rejected ${id}\n`, stderr: "" });
      expect(new Set(tokens)).toEqual(new Set(["token file-read-token"]));
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
    await rejectedAndReleased(id);
  });

  it("no token at all (or both empty): refused with exit 1, naming both variables in the order they are read; nothing asked, nothing changed", async () => {
    const { id, lock } = await approvedNotPosted();
    const expected = `patchwarden: proposal \`${id}\` was not rejected: it was approved by piotr, and whether that approval posted it cannot be told (no Forgejo token was given to look with: set PATCHWARDEN_FORGEJO_WRITE_TOKEN, or PATCHWARDEN_FORGEJO_TOKEN (read access suffices)). Nothing changed, and its repair lock \`${lock}\` stays: approve it again (Forgejo is asked first: what is there is recorded as posted, else it is posted), or reject it again once Forgejo can be asked\n`;
    expect(await reject(id, {})).toEqual({ code: 1, stdout: "", stderr: expected });
    expect(await reject(id, { PATCHWARDEN_FORGEJO_WRITE_TOKEN: "", PATCHWARDEN_FORGEJO_TOKEN: "" })).toEqual({ code: 1, stdout: "", stderr: expected });
    expect(q.fake.requests).toEqual([]);
    await unchanged(id);
  });

  it("a write token that is not a token: a configuration error (exit 2), with no fallback to the read token; nothing asked, nothing changed", async () => {
    const { id } = await approvedNotPosted();
    const run = await reject(id, { PATCHWARDEN_FORGEJO_WRITE_TOKEN: "write-token\n", PATCHWARDEN_FORGEJO_TOKEN: "read-token" });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^patchwarden: PATCHWARDEN_FORGEJO_WRITE_TOKEN: character 12 \(U\+000A\) is not printable ASCII/);
    expect(run.stderr).not.toContain("write-token");
    expect(q.fake.requests).toEqual([]);
    await unchanged(id);
  });
});

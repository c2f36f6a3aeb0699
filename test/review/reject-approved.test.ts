import { http, HttpResponse } from "msw";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { ForgejoError } from "../../src/forgejo/forgejo-error.js";
import { ForgejoWriter } from "../../src/forgejo/writer.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { EvidenceStore } from "../../src/queue/evidence-store.js";
import { approveAsOperator } from "../../src/queue/operator-actions.js";
import { receiptsOfProposal } from "../../src/receipts/proposal-receipts.js";
import { FakeForgejo, FORGEJO_ORIGIN, startMsw } from "../helpers/fake-forgejo.js";
import { REPO, startTestServer, type TestServer } from "../helpers/server-harness.js";
import { Client, EXAMPLE_TIME, hidden, propose, TOKENS } from "./helpers.js";

const fake = new FakeForgejo();
const msw = startMsw(fake);
afterAll(() => msw.close());

let server: TestServer | null = null;
let client: Client;
const authorizations: Array<string | null> = [];
msw.events.on("request:start", ({ request }) => void authorizations.push(request.headers.get("authorization")));

async function start(env: Record<string, string> = {}): Promise<void> {
  server = await startTestServer({ PATCHWARDEN_REVIEW_TOKENS: TOKENS, ...env }, { now: () => EXAMPLE_TIME + 120_000 });
  client = new Client(server.app);
  await client.signIn();
}

beforeEach(() => {
  fake.issue(REPO, 3);
  fake.posted.length = 0;
  fake.requests.length = 0;
  fake.writesAllowed = true;
  fake.failure = null;
});
afterEach(async () => {
  msw.resetHandlers();
  await server?.cleanup();
  server = null;
  expect(fake.violations).toEqual([]);
});

/** An approval whose post reached Forgejo (`posted`) or not, and which stopped at `approved` with its lock. */
async function stoppedApproval(s: TestServer, posted: boolean): Promise<string> {
  const proposal = await propose(s, "examples/runtime-diagnostics.bundle.yaml");
  const real = new ForgejoWriter({ baseUrl: new URL(FORGEJO_ORIGIN), token: "write-token", timeoutMs: 2000, maxBytes: 1 << 20, fetch, retryDelayMs: 10 });
  const writer = Object.create(real) as ForgejoWriter;
  writer.postComment = async (...args) => {
    if (posted) await real.postComment(...args);
    throw new ForgejoError("timeout", "POST /api/v1/repos/…/comments took longer than 15000 ms");
  };
  const deps = { store: s.proposals, evidence: new EvidenceStore(s.dataDir), log: s.receipts, locks: s.locks, policy: await readPolicy(), now: EXAMPLE_TIME + 60_000, writer, actor: "bob" };
  await expect(approveAsOperator(proposal.id, deps)).rejects.toThrow(/took longer/);
  expect((await s.proposals.require(proposal.id)).state).toBe("approved");
  return proposal.id;
}

async function rejectOnPage(id: string): Promise<string> {
  const page = await (await client.get(`/review/${id}`)).text();
  expect(page).toContain("It was approved, so Forgejo is asked first whether that approval posted it");
  const response = await client.post(`/review/${id}/reject`, { csrf: hidden(page, "csrf", `/review/${id}/reject`), reason: "stuck" });
  expect(response.status).toBe(303);
  return (await client.get(`/review/${id}`)).text();
}

describe("rejecting an approved proposal from the page looks on Forgejo first, with the server's read token", () => {
  it("its comment is there: recorded as posted, not rejected, and the repair lock stays", async () => {
    await start({ PATCHWARDEN_FORGEJO_TOKEN: "server-read-token" });
    const id = await stoppedApproval(server!, true);
    authorizations.length = 0;
    const after = await rejectOnPage(id);
    expect(after).toContain(`Not rejected: proposal \`${id}\` was not rejected: its approval by bob did post it (${FORGEJO_ORIGIN}/${REPO}/issues/3#issuecomment-${fake.posted[0]!.id}) before it stopped, so it is now recorded as posted; its repair lock`);
    expect(authorizations).toEqual(["token server-read-token"]);
    expect((await server!.proposals.require(id)).state).toBe("posted");
    expect((await server!.locks.activeLeases(EXAMPLE_TIME + 120_000)).map((lease) => lease.proposal_id)).toEqual([id]);
    expect(fake.posted).toHaveLength(1);
  });

  it("its comment is not there: rejected, and the lock released", async () => {
    await start({ PATCHWARDEN_FORGEJO_TOKEN: "server-read-token" });
    const id = await stoppedApproval(server!, false);
    const after = await rejectOnPage(id);
    expect(after).toContain(`Rejected ${id}; nothing was posted.`);
    expect((await server!.proposals.require(id)).state).toBe("rejected");
    expect(await server!.locks.activeLeases(EXAMPLE_TIME + 120_000)).toEqual([]);
  });

  it("Forgejo cannot be asked: nothing changes, and the page says to approve again or use the CLI", async () => {
    await start({ PATCHWARDEN_FORGEJO_TOKEN: "server-read-token" });
    const id = await stoppedApproval(server!, false);
    msw.use(http.get(`${FORGEJO_ORIGIN}/api/v1/repos/:owner/:repo/issues/:number/comments`, () => HttpResponse.json({ message: "down for maintenance" }, { status: 503 })));
    const after = await rejectOnPage(id);
    expect(after).toContain("whether that approval posted it cannot be told (comments of root/example-push#3: Forgejo answered 503). Nothing changed");
    expect((await server!.proposals.require(id)).state).toBe("approved");
    expect(await server!.locks.activeLeases(EXAMPLE_TIME + 120_000)).toHaveLength(1);
  });

  it("the server has no read token: refused, pointing to approve and `queue reject`; nothing changed", async () => {
    await start();
    const id = await stoppedApproval(server!, true);
    fake.requests.length = 0;
    const after = await rejectOnPage(id);
    expect(after).toContain("cannot be told (the server has no PATCHWARDEN_FORGEJO_TOKEN to look with; reject it with `patchwarden queue reject` and a token instead). Nothing changed");
    expect(after).toContain("approve it again (Forgejo is asked first");
    expect(fake.requests).toEqual([]);
    expect((await server!.proposals.require(id)).state).toBe("approved");
    expect((await receiptsOfProposal(server!.receipts.paths.log, id)).map((r) => r.kind)).not.toContain("proposal.rejected");
    expect(await server!.locks.activeLeases(EXAMPLE_TIME + 120_000)).toHaveLength(1);
  });

  it.each([
    ["without a token", {}],
    ["with the server's read token", { PATCHWARDEN_FORGEJO_TOKEN: "server-read-token" }],
  ])("a pending proposal is rejected without asking Forgejo (%s)", async (_label, env: Record<string, string>) => {
    await start(env);
    const proposal = await propose(server!, "examples/runtime-diagnostics.bundle.yaml");
    const page = await (await client.get(`/review/${proposal.id}`)).text();
    expect(page).not.toContain("It was approved, so Forgejo is asked first");
    // Only what the reject itself sends counts.
    fake.requests.length = 0;
    authorizations.length = 0;
    const response = await client.post(`/review/${proposal.id}/reject`, { csrf: hidden(page, "csrf", `/review/${proposal.id}/reject`), reason: "wrong host" });
    expect(response.status).toBe(303);
    expect((await server!.proposals.require(proposal.id)).state).toBe("rejected");
    expect(fake.requests).toEqual([]);
    expect(authorizations).toEqual([]);
  });
});

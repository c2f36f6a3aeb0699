import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { proposalMarker } from "../../src/queue/compose-proposal.js";
import { receiptsOfProposal } from "../../src/receipts/proposal-receipts.js";
import { FakeForgejo, startMsw } from "../helpers/fake-forgejo.js";
import { REPO, startTestServer, type TestServer } from "../helpers/server-harness.js";
import { Client, EXAMPLE_TIME, hidden, propose, TOKENS } from "../review/helpers.js";

const fake = new FakeForgejo();
const msw = startMsw(fake);
afterAll(() => msw.close());

const WRITE_TOKEN = "forgejo-write-token-5d1e0c7a9b";
let server: TestServer;
let client: Client;

beforeEach(async () => {
  fake.posted.length = 0;
  fake.failure = null;
  fake.writesAllowed = true;
  server = await startTestServer({ PATCHWARDEN_REVIEW_TOKENS: TOKENS }, { now: () => EXAMPLE_TIME });
  client = new Client(server.app);
  await client.signIn();
});
afterEach(async () => {
  await server.cleanup();
});

describe("approving from the page when someone else's comment carries the proposal's marker", () => {
  it("posts the proposal, and records its own comment, not the one someone else wrote", async () => {
    const issue = fake.issue(REPO, 3);
    const proposal = await propose(server, "examples/runtime-diagnostics.bundle.yaml");
    // Anyone who may comment on the issue (and has learnt the pending id) writes the marker, with words of their own.
    const spoof = fake.comment(issue, "mallory", `${proposalMarker(proposal.id)}\n### 🟢 Patchwarden gate: \`eligible_repair_dry_run\` — go ahead and apply it`);

    const page = await (await client.get(`/review/${proposal.id}`)).text();
    const response = await client.post(`/review/${proposal.id}/approve`, { csrf: hidden(page, "csrf", `/review/${proposal.id}/approve`), write_token: WRITE_TOKEN });
    expect(response.status).toBe(303);

    const stored = await server.proposals.require(proposal.id);
    const receipts = await receiptsOfProposal(server.receipts.paths.log, proposal.id);
    const posted = receipts.find((r) => r.kind === "proposal.posted") as { comment_id?: number } | undefined;
    // What the trust layer says was posted for alice's approval must be the proposal's comment, not mallory's.
    expect(stored.posted?.comment_id).not.toBe(spoof.id);
    expect(posted?.comment_id).not.toBe(spoof.id);
    expect(fake.posted.map((p) => p.body)).toEqual([stored.post.kind === "comment" ? stored.post.body : ""]);
    expect(stored.posted?.comment_id).toBe(fake.posted[0]!.id);
  });
});

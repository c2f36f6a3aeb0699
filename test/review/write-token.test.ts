import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { receiptsOfProposal } from "../../src/receipts/proposal-receipts.js";
import { FakeForgejo, startMsw } from "../helpers/fake-forgejo.js";
import { REPO, startTestServer, type TestServer } from "../helpers/server-harness.js";
import { Client, EXAMPLE_TIME, hidden, propose, TOKENS } from "./helpers.js";

const fake = new FakeForgejo();
const msw = startMsw(fake);
afterAll(() => msw.close());

let server: TestServer;
let client: Client;

beforeEach(async () => {
  fake.issue(REPO, 3);
  fake.posted.length = 0;
  fake.requests.length = 0;
  fake.writesAllowed = true;
  server = await startTestServer({ PATCHWARDEN_REVIEW_TOKENS: TOKENS }, { now: () => EXAMPLE_TIME });
  client = new Client(server.app);
  await client.signIn();
});
afterEach(async () => {
  await server.cleanup();
  expect(fake.violations).toEqual([]);
});

describe("a write token that cannot be sent to Forgejo", () => {
  for (const [what, token] of [
    ["a euro sign", "write-token-€-pasted"],
    ["a non-breaking space", "write-token\u00a0pasted-0123456789"],
    ["a zero-width space", "write-token\u200bpasted-0123456789"],
    ["a space inside", "write-token pasted-0123456789"],
    ["more than 512 characters", "a".repeat(513)],
  ] as const) {
    it(`is refused with 400 before the approval starts: nothing recorded, nothing posted (${what})`, async () => {
      const proposal = await propose(server, "examples/runtime-diagnostics.bundle.yaml");
      const before = await receiptsOfProposal(server.receipts.paths.log, proposal.id);
      const page = await (await client.get(`/review/${proposal.id}`)).text();
      const response = await client.post(`/review/${proposal.id}/approve`, { csrf: hidden(page, "csrf", `/review/${proposal.id}/approve`), write_token: token });
      expect(response.status).toBe(400);
      const text = await response.text();
      expect(text).toContain("Not posted");
      expect(text).toContain("write_token:");
      expect(text).toContain("nothing was recorded or posted");
      expect(text).not.toContain(token);
      expect(fake.requests).toEqual([]);
      expect(fake.posted).toEqual([]);
      expect(await server.proposals.require(proposal.id)).toMatchObject({ state: "pending", history: [{ state: "pending" }] });
      expect(await receiptsOfProposal(server.receipts.paths.log, proposal.id)).toEqual(before);
      expect(await server.locks.activeLeases(EXAMPLE_TIME)).toEqual([]);
    });
  }

  it("is refused by approveFromPage itself too, whoever calls it", async () => {
    const { approveFromPage, writeTokenProblem } = await import("../../src/server/review/actions.js");
    expect(writeTokenProblem("0123456789abcdef0123456789abcdef01234567")).toBeNull();
    expect(writeTokenProblem("write-token-€-pasted")).toMatch(/^write_token: /);
    const proposal = await propose(server, "examples/runtime-diagnostics.bundle.yaml");
    const flash = await approveFromPage({} as never, proposal.id, "alice", "write-token-€-pasted");
    expect(flash.kind).toBe("refused");
    expect(flash.text).not.toContain("€");
    expect((await server.proposals.require(proposal.id)).state).toBe("pending");
  });
});

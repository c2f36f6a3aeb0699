import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Logger } from "../../src/observability/logger.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { EvidenceStore } from "../../src/queue/evidence-store.js";
import { approveFromPage, writeTokenProblem } from "../../src/server/review/actions.js";
import type { ReviewDeps } from "../../src/server/review/review-deps.js";
import { FakeForgejo, FORGEJO_ORIGIN, startMsw } from "../helpers/fake-forgejo.js";
import { REPO, startTestServer, type TestServer } from "../helpers/server-harness.js";
import { Client, EXAMPLE_TIME, hidden, propose, TOKENS } from "./helpers.js";

const fake = new FakeForgejo();
const msw = startMsw(fake);
afterAll(() => msw.close());

const WRITE_TOKEN = "forgejo-write-token-5d1e0c7a9b";
let server: TestServer | undefined;
let logged: string[];
const capture: Logger = {
  info: (event, fields) => void logged.push(JSON.stringify({ event, ...fields })),
  warn: (event, fields) => void logged.push(JSON.stringify({ event, ...fields })),
  error: (event, fields) => void logged.push(JSON.stringify({ event, ...fields })),
};

beforeEach(() => {
  logged = [];
  fake.issue(REPO, 3);
  fake.posted.length = 0;
  fake.failure = null;
  fake.writesAllowed = true;
});
afterEach(async () => {
  await server?.cleanup();
  server = undefined;
  expect(fake.violations).toEqual([]);
});

async function signedIn(options: { fetch?: typeof fetch } = {}): Promise<Client> {
  server = await startTestServer({ PATCHWARDEN_REVIEW_TOKENS: TOKENS }, { now: () => EXAMPLE_TIME, log: capture, ...options });
  const client = new Client(server.app);
  await client.signIn();
  return client;
}

describe("the length of a write token", () => {
  it("may be 512 characters; 513 is refused, saying how many and never echoing it", () => {
    expect(writeTokenProblem("a".repeat(512))).toBeNull();
    expect(writeTokenProblem(`  ${"a".repeat(512)}  `)).toBeNull();
    expect(writeTokenProblem("a".repeat(513))).toBe("write_token: has 513 characters, more than any Forgejo token (at most 512); paste the token alone");
  });
});

describe("an approval that fails on the way to Forgejo", () => {
  it("never shows or logs the write token, even when the error names it", async () => {
    const leaky: typeof fetch = async (_input, init) => {
      const headers = (init?.headers ?? {}) as Record<string, string>;
      throw new Error(`the proxy refused the request with \`${headers["authorization"] ?? "(no authorization)"}\``);
    };
    const client = await signedIn({ fetch: leaky });
    const proposal = await propose(server!, "examples/runtime-diagnostics.bundle.yaml");
    const page = await (await client.get(`/review/${proposal.id}`)).text();
    const response = await client.post(`/review/${proposal.id}/approve`, { csrf: hidden(page, "csrf", `/review/${proposal.id}/approve`), write_token: WRITE_TOKEN });
    expect(response.status).toBe(303);
    const after = await (await client.get(`/review/${proposal.id}`)).text();
    expect(after).toContain("The approval stopped:");
    expect(after).toContain("token [write token]");
    expect(after).not.toContain(WRITE_TOKEN);
    expect(logged.some((line) => line.includes("review.approve_failed") && line.includes("[write token]"))).toBe(true);
    expect(logged.join("\n")).not.toContain(WRITE_TOKEN);
    expect(fake.posted).toEqual([]);
  });

  it("approveFromPage keeps the token out of its message, whoever calls it", async () => {
    const leaky: typeof fetch = async (_input, init) => {
      throw new Error(`refused: ${((init?.headers ?? {}) as Record<string, string>)["authorization"]}`);
    };
    await signedIn();
    const proposal = await propose(server!, "examples/runtime-diagnostics.bundle.yaml");
    const deps: ReviewDeps = {
      proposals: server!.proposals,
      evidence: new EvidenceStore(server!.dataDir),
      receipts: server!.receipts,
      locks: server!.locks,
      policy: () => readPolicy(),
      forgejoUrl: new URL(FORGEJO_ORIGIN),
      forgejoReadToken: undefined,
      now: () => EXAMPLE_TIME,
      log: capture,
      fetch: leaky,
      tokens: new Map(),
      publicOrigin: undefined,
      listenHost: "127.0.0.1",
      sessionState: null,
      remoteAddress: () => null,
    };
    const flash = await approveFromPage(deps, proposal.id, "alice", WRITE_TOKEN);
    expect(flash.kind).toBe("refused");
    expect(flash.text).toMatch(/^The approval stopped: .*refused: token \[write token\]/);
    expect(flash.text).not.toContain(WRITE_TOKEN);
  });
});

describe("the reason for a rejection", () => {
  it("may be 2000 characters; 2001 is refused, saying how many", async () => {
    const client = await signedIn();
    const long = await propose(server!, "examples/runtime-diagnostics.bundle.yaml");
    const page = await (await client.get(`/review/${long.id}`)).text();
    const csrf = hidden(page, "csrf", `/review/${long.id}/reject`);
    expect((await client.post(`/review/${long.id}/reject`, { csrf, reason: "x".repeat(2001) })).status).toBe(303);
    expect(await (await client.get(`/review/${long.id}`)).text()).toContain("Not rejected: the reason has 2001 characters; keep it under 2000.");
    expect((await server!.proposals.require(long.id)).state).toBe("pending");
    expect((await client.post(`/review/${long.id}/reject`, { csrf, reason: ` ${"x".repeat(2000)} ` })).status).toBe(303);
    expect(await (await client.get(`/review/${long.id}`)).text()).toContain(`Rejected ${long.id}; nothing was posted.`);
    expect(await server!.proposals.require(long.id)).toMatchObject({ state: "rejected", history: [{ state: "pending" }, { state: "rejected", actor: "alice", reason: "x".repeat(2000) }] });
  });
});

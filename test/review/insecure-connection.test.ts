import { Hono } from "hono";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/observability/logger.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { EvidenceStore } from "../../src/queue/evidence-store.js";
import { reviewRoutes } from "../../src/server/review/routes.js";
import { openSessionState } from "../../src/server/review/session-state.js";
import { FORGEJO_ORIGIN } from "../helpers/fake-forgejo.js";
import { startTestServer, type TestServer } from "../helpers/server-harness.js";
import { ALICE_TOKEN, BOB_TOKEN, Client, EXAMPLE_TIME, propose } from "./helpers.js";

const WARNING = "This connection is not encrypted: the token would cross the network in clear text.";

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer({}, { now: () => EXAMPLE_TIME });
});
afterEach(async () => server.cleanup());

/** The review page of `server`'s queue as a client at `address` sees it, optionally behind an https origin. */
async function pageFrom(address: string | null, publicOrigin?: URL): Promise<Client> {
  const routes = reviewRoutes({
    proposals: server.proposals,
    evidence: new EvidenceStore(server.dataDir),
    receipts: server.receipts,
    locks: server.locks,
    policy: () => readPolicy(),
    forgejoUrl: new URL(FORGEJO_ORIGIN),
    forgejoReadToken: undefined,
    now: () => EXAMPLE_TIME,
    log: silentLogger,
    fetch,
    tokens: new Map([
      ["alice", ALICE_TOKEN],
      ["bob", BOB_TOKEN],
    ]),
    publicOrigin,
    listenHost: "0.0.0.0",
    sessionState: await openSessionState(server.dataDir, EXAMPLE_TIME, silentLogger),
    remoteAddress: () => address,
  });
  const app = new Hono().route("/review", routes);
  return new Client(app as unknown as TestServer["app"]);
}

describe("the approve form over plain http", () => {
  it("warns that the write token would cross the network in clear text when the operator is on another machine", async () => {
    const proposal = await propose(server, "examples/runtime-diagnostics.bundle.yaml");
    const client = await pageFrom("203.0.113.9");
    expect((await client.signIn()).status).toBe(303);
    const page = await (await client.get(`/review/${proposal.id}`)).text();
    expect(page).toContain('name="write_token"');
    expect(page).toContain(WARNING);
  });

  it("does not warn on this machine, in-process, or behind an https origin", async () => {
    const proposal = await propose(server, "examples/runtime-diagnostics.bundle.yaml");
    for (const [address, origin] of [
      ["127.0.0.1", undefined],
      ["::1", undefined],
      [null, undefined],
      ["203.0.113.9", new URL("https://patchwarden.example.org")],
    ] as const) {
      const client = await pageFrom(address, origin);
      const host = origin === undefined ? {} : { host: "patchwarden.example.org" };
      const form = await client.get("/review/login", host);
      const csrf = /name="csrf" value="([^"]*)"/.exec(await form.text())![1]!;
      const signedIn = await client.post("/review/login", { csrf, login: "alice", token: ALICE_TOKEN }, { ...host, ...(origin === undefined ? {} : { origin: origin.origin }) });
      expect(signedIn.status, String(address)).toBe(303);
      const page = await (await client.get(`/review/${proposal.id}`, host)).text();
      expect(page, String(address)).toContain('name="write_token"');
      expect(page, String(address)).not.toContain(WARNING);
    }
  });
});

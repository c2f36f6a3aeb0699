import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Logger } from "../../src/observability/logger.js";
import { csrfToken } from "../../src/server/review/csrf.js";
import { SESSION_KEY_FILE } from "../../src/server/review/session-key.js";
import { SIGNED_OUT_FILE } from "../../src/server/review/signed-out-sessions.js";
import { FakeForgejo, startMsw } from "../helpers/fake-forgejo.js";
import { REPO, startTestServer, type TestServer } from "../helpers/server-harness.js";
import { ALICE_TOKEN, Client, EXAMPLE_TIME, hidden, propose, TOKENS } from "./helpers.js";

const fake = new FakeForgejo();
const msw = startMsw(fake);
afterAll(() => msw.close());

let now = EXAMPLE_TIME;
let server: TestServer;
let logged: string[];
const capture: Logger = {
  info: (event) => void logged.push(event),
  warn: (event) => void logged.push(event),
  error: (event) => void logged.push(event),
};

beforeEach(async () => {
  now = EXAMPLE_TIME;
  logged = [];
  fake.issue(REPO, 3);
  fake.posted.length = 0;
  fake.writesAllowed = true;
  server = await startTestServer({ PATCHWARDEN_REVIEW_TOKENS: TOKENS }, { now: () => now, log: capture });
});
afterEach(async () => {
  await server.cleanup();
  expect(fake.violations).toEqual([]);
});

/** The CSRF token a page of this server would give `client`'s session for `purpose`. */
async function tokenFor(client: Client, purpose: string): Promise<string> {
  const key = Buffer.from((await readFile(join(server.dataDir, SESSION_KEY_FILE), "utf8")).trim(), "hex");
  const sessionId = client.cookies.get("pw_review_session")!.split(".").at(-2)!;
  return csrfToken(key, sessionId, purpose);
}

describe("the sign-in form", () => {
  it("replaces a nonce cookie it did not write with a fresh one", async () => {
    const client = new Client(server.app);
    client.cookies.set("pw_review_login", "planted");
    const form = await client.get("/review/login");
    expect(form.status).toBe(200);
    expect(client.cookies.get("pw_review_login")).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const signedIn = await client.post("/review/login", { csrf: hidden(await form.text(), "csrf"), login: "alice", token: ALICE_TOKEN });
    expect(signedIn.status).toBe(303);
  });

  it("keeps a well-formed nonce cookie, so a form open in another tab still works", async () => {
    const client = new Client(server.app);
    await client.get("/review/login");
    const nonce = client.cookies.get("pw_review_login");
    const again = await client.get("/review/login");
    expect(again.headers.getSetCookie().some((line) => line.startsWith("pw_review_login="))).toBe(false);
    expect(client.cookies.get("pw_review_login")).toBe(nonce);
  });

  it("has a token bound to where it leads: it does not sign in with another next address", async () => {
    const proposal = await propose(server, "examples/runtime-diagnostics.bundle.yaml");
    const client = new Client(server.app);
    const form = await (await client.get(`/review/login?next=${encodeURIComponent(`/review/${proposal.id}`)}`)).text();
    const swapped = await client.post("/review/login", { csrf: hidden(form, "csrf"), next: "/review", login: "alice", token: ALICE_TOKEN });
    expect(swapped.status).toBe(403);
    expect(await swapped.text()).toContain("the sign-in form&#39;s security token is missing or stale; nobody was signed in.");
    expect(client.cookies.has("pw_review_session")).toBe(false);
  });

  it("sends a signed-in operator on to the list", async () => {
    const client = new Client(server.app);
    await client.signIn();
    const form = await client.get("/review/login?next=%2Freview");
    expect(form.status).toBe(303);
    expect(form.headers.get("location")).toBe("/review");
  });

  it("leads only to the list or a proposal's page after signing in", async () => {
    const proposal = await propose(server, "examples/runtime-diagnostics.bundle.yaml");
    for (const next of ["https://evil.example/review", "//evil.example/review", "/review/../healthz", "/reviewer", `/review/${proposal.id}/approve`, `/review/${proposal.id}x`, "/review/"]) {
      const client = new Client(server.app);
      const form = await (await client.get("/review/login")).text();
      const response = await client.post("/review/login", { csrf: hidden(form, "csrf"), next, login: "alice", token: ALICE_TOKEN });
      expect(response.status, next).toBe(303);
      expect(response.headers.get("location"), next).toBe("/review");
    }
    for (const next of [`/review/${proposal.id}`, "/review"]) {
      const client = new Client(server.app);
      const form = await (await client.get(`/review/login?next=${encodeURIComponent(next)}`)).text();
      const response = await client.post("/review/login", { csrf: hidden(form, "csrf"), next: hidden(form, "next"), login: "alice", token: ALICE_TOKEN });
      expect(response.headers.get("location"), next).toBe(next);
    }
  });
});

describe("a login locked out", () => {
  it("is told to wait whole seconds, rounded up", async () => {
    for (let i = 0; i < 5; i++) expect((await new Client(server.app).signIn("alice", `guess-${i}-0123456789abcdefghij`)).status).toBe(401);
    now += 500;
    const locked = await new Client(server.app).signIn();
    expect(locked.status).toBe(429);
    expect(locked.headers.get("retry-after")).toBe("900");
    expect(await locked.text()).toContain("try again in 15 minutes.");
    now = EXAMPLE_TIME + 14 * 60_000 + 59_500;
    const last = await new Client(server.app).signIn();
    expect(last.headers.get("retry-after")).toBe("1");
    expect(await last.text()).toContain("try again in 1 minute.");
  });
});

describe("signing out when the sign-out cannot be saved", () => {
  it("still signs out here, refuses the cookie for the rest of this run, and says the sign-out was not saved", async () => {
    const client = new Client(server.app);
    await client.signIn();
    const copy = client.cookies.get("pw_review_session")!;
    await rm(join(server.dataDir, SIGNED_OUT_FILE), { force: true });
    await mkdir(join(server.dataDir, SIGNED_OUT_FILE));
    const list = await (await client.get("/review")).text();
    const out = await client.post("/review/logout", { csrf: hidden(list, "csrf", "/review/logout") });
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toBe("/review/login");
    expect(client.cookies.has("pw_review_session")).toBe(false);
    const page = await (await client.get("/review/login")).text();
    expect(page).toContain("Signed out here, but the sign-out could not be saved: after a restart a copy of this session&#39;s cookie would work until it expires.");
    expect(page).not.toContain("Signed out.<");
    expect(logged).toContain("review.signout_not_saved");
    const stolen = new Client(server.app);
    stolen.cookies.set("pw_review_session", copy);
    expect((await stolen.get("/review")).status).toBe(303);
  });
});

describe("approving or rejecting a proposal this server does not have", () => {
  const missing = "p_0123456789abcdef0123";

  it("approving answers 404, posting nothing", async () => {
    const client = new Client(server.app);
    await client.signIn();
    const response = await client.post(`/review/${missing}/approve`, { csrf: await tokenFor(client, `approve:${missing}`), write_token: "forgejo-write-token-5d1e0c7a9b" });
    expect(response.status).toBe(404);
    expect(await response.text()).toContain(`there is no proposal \`${missing}\` in this server&#39;s queue.`);
    expect(fake.posted).toEqual([]);
    expect(logged).not.toContain("review.approve_failed");
  });

});

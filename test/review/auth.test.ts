import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { matchOperator } from "../../src/server/review/credentials.js";
import { LoginLimiter } from "../../src/server/review/login-limiter.js";
import { SESSION_MS, Sessions } from "../../src/server/review/sessions.js";
import { SignedOutSessions } from "../../src/server/review/signed-out-sessions.js";
import { FakeForgejo, startMsw } from "../helpers/fake-forgejo.js";
import { startTestServer, type TestServer } from "../helpers/server-harness.js";
import { ALICE_TOKEN, BOB_TOKEN, Client, EXAMPLE_TIME, hidden, propose, TOKENS } from "./helpers.js";

const fake = new FakeForgejo();
const msw = startMsw(fake);
afterAll(() => msw.close());

let now = EXAMPLE_TIME;
let server: TestServer;
let client: Client;

beforeEach(async () => {
  now = EXAMPLE_TIME;
  fake.posted.length = 0;
  fake.writesAllowed = true;
  server = await startTestServer({ PATCHWARDEN_REVIEW_TOKENS: TOKENS }, { now: () => now });
  client = new Client(server.app);
});
afterEach(async () => {
  await server.cleanup();
  expect(fake.violations).toEqual([]);
});

describe("operator tokens", () => {
  const tokens = new Map([["alice", ALICE_TOKEN]]);

  it("match only the configured token of that login, whatever the length given", () => {
    expect(matchOperator(tokens, "alice", ALICE_TOKEN)).toBe("alice");
    expect(matchOperator(tokens, "alice", `${ALICE_TOKEN}x`)).toBeNull();
    expect(matchOperator(tokens, "alice", ALICE_TOKEN.slice(0, -1))).toBeNull();
    expect(matchOperator(tokens, "alice", "")).toBeNull();
    expect(matchOperator(tokens, "mallory", ALICE_TOKEN)).toBeNull();
    expect(matchOperator(new Map([["alice", ALICE_TOKEN], ["bob", BOB_TOKEN]]), "bob", ALICE_TOKEN)).toBeNull();
  });
});

describe("signing in", () => {
  it("is required for every page in operators mode; the form leads back to the page asked for", async () => {
    const proposal = await propose(server, "examples/runtime-diagnostics.bundle.yaml");
    for (const path of ["/review", `/review/${proposal.id}`]) {
      const response = await client.get(path);
      expect(response.status).toBe(303);
      expect(response.headers.get("location")).toBe(`/review/login?next=${encodeURIComponent(path)}`);
    }
    const form = await (await client.get(`/review/login?next=${encodeURIComponent(`/review/${proposal.id}`)}`)).text();
    const signedIn = await client.post("/review/login", { csrf: hidden(form, "csrf"), next: hidden(form, "next"), login: "alice", token: ALICE_TOKEN });
    expect(signedIn.headers.get("location")).toBe(`/review/${proposal.id}`);
  });

  it("sets an HttpOnly, SameSite=Strict session cookie scoped to /review, and shows who is signed in", async () => {
    const response = await client.signIn();
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/review");
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith("pw_review_session="))!;
    expect(cookie).toMatch(/; Max-Age=28800; Path=\/review; HttpOnly; SameSite=Strict$/);
    expect(cookie).not.toContain("Secure"); // plain http on loopback: a Secure cookie would never come back
    expect(await (await client.get("/review")).text()).toContain("signed in as <strong>alice</strong>");
  });

  it("refuses a wrong token with 401 and does not say which half was wrong", async () => {
    const response = await client.signIn("alice", BOB_TOKEN);
    expect(response.status).toBe(401);
    const page = await response.text();
    expect(page).toContain("That login and token do not match a configured operator.");
    expect(page).not.toContain(BOB_TOKEN);
    expect(client.cookies.has("pw_review_session")).toBe(false);
  });

  it("never takes a next address off the review page (no open redirect)", async () => {
    const form = await (await client.get("/review/login")).text();
    const response = await client.post("/review/login", { csrf: hidden(form, "csrf"), next: "https://evil.example/", login: "alice", token: ALICE_TOKEN });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/review");
    client.cookies.delete("pw_review_session");
    const fresh = await (await client.get("/review/login?next=//evil.example")).text();
    expect(fresh).not.toContain('name="next"');
  });

  it("refuses a sign-in without the form's token or from another site", async () => {
    await client.get("/review/login");
    expect((await client.post("/review/login", { login: "alice", token: ALICE_TOKEN })).status).toBe(403);
    const form = await (await client.get("/review/login")).text();
    const crossSite = await client.post("/review/login", { csrf: hidden(form, "csrf"), login: "alice", token: ALICE_TOKEN }, { "sec-fetch-site": "cross-site" });
    expect(crossSite.status).toBe(403);
    expect(client.cookies.has("pw_review_session")).toBe(false);
  });

  it("limits failed sign-ins per address: after five, even the right token waits", async () => {
    for (let i = 0; i < 5; i++) expect((await client.signIn("alice", `wrong-token-${i}-0123456789abcdef`)).status).toBe(401);
    const blocked = await client.signIn();
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(client.cookies.has("pw_review_session")).toBe(false);
    now += 15 * 60 * 1000;
    expect((await client.signIn()).status).toBe(303);
  });

  it("keeps the limiter's memory bounded under many addresses", () => {
    const limiter = new LoginLimiter(2, 60_000, 100);
    // The first address uses up its attempts: only being dropped from memory can let it in again.
    limiter.attempt("10.0.0.0", "alice", 0);
    limiter.attempt("10.0.0.0", "alice", 0);
    expect(limiter.attempt("10.0.0.0", "alice", 0).ok).toBe(false);
    for (let i = 1; i < 1000; i++) limiter.attempt(`10.0.${i >> 8}.${i & 255}`, "alice", 0);
    expect(limiter["addresses"].size).toBeLessThanOrEqual(100);
    limiter.attempt("10.9.9.9", "alice", 1);
    limiter.attempt("10.9.9.9", "alice", 2);
    // The newest addresses are kept, and limited as before.
    expect(limiter.attempt("10.9.9.9", "alice", 3)).toEqual({ ok: false, retryAfterMs: 59_998 });
    expect(limiter.attempt("10.0.0.0", "alice", 3).ok).toBe(true);
  });
});

describe("sessions", () => {
  it("expire after eight hours", async () => {
    await client.signIn();
    now += SESSION_MS - 1000;
    expect((await client.get("/review")).status).toBe(200);
    now += 2000;
    expect((await client.get("/review")).status).toBe(303);
  });

  it("refuse a forged or edited cookie", async () => {
    await client.signIn();
    const value = client.cookies.get("pw_review_session")!;
    client.cookies.set("pw_review_session", value.replace(/^alice\./, "bob."));
    expect((await client.get("/review")).status).toBe(303);
    const [login, , id, mac] = value.split(".");
    client.cookies.set("pw_review_session", `${login}.${now + 365 * 86_400_000}.${id}.${mac}`);
    expect((await client.get("/review")).status).toBe(303);
  });

  it("end when the operator's token changes or is removed", () => {
    const key = Buffer.alloc(32, 7);
    const sessions = (k: Buffer, tokens: Map<string, string>) => new Sessions(k, tokens, new SignedOutSessions(null));
    const { cookie } = sessions(key, new Map([["alice", ALICE_TOKEN]])).issue("alice", 0);
    expect(sessions(key, new Map([["alice", ALICE_TOKEN]])).verify(cookie, 1)).toMatchObject({ login: "alice" });
    expect(sessions(key, new Map([["alice", BOB_TOKEN]])).verify(cookie, 1)).toBeNull();
    expect(sessions(key, new Map([["bob", BOB_TOKEN]])).verify(cookie, 1)).toBeNull();
    expect(sessions(Buffer.alloc(32, 8), new Map([["alice", ALICE_TOKEN]])).verify(cookie, 1)).toBeNull();
  });

  it("end on sign-out, even for a copy of the cookie", async () => {
    await client.signIn();
    const copy = client.cookies.get("pw_review_session")!;
    const list = await (await client.get("/review")).text();
    const out = await client.post("/review/logout", { csrf: hidden(list, "csrf", "/review/logout") });
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toBe("/review/login");
    expect(client.cookies.has("pw_review_session")).toBe(false);
    expect(await (await client.get("/review/login")).text()).toContain("Signed out.");
    client.cookies.set("pw_review_session", copy);
    expect((await client.get("/review")).status).toBe(303);
  });
});

describe("forms that change something", () => {
  it("need a signed-in operator (401) and post nothing", async () => {
    const proposal = await propose(server, "examples/runtime-diagnostics.bundle.yaml");
    for (const action of ["approve", "reject"]) {
      const response = await client.post(`/review/${proposal.id}/${action}`, { write_token: "forgejo-write-token", reason: "no" });
      expect(response.status).toBe(401);
      expect(await response.text()).toContain("Sign in first");
    }
    expect(fake.posted).toEqual([]);
    expect((await server.proposals.require(proposal.id)).state).toBe("pending");
  });

  it("need the CSRF token of this session and this very form (403), and post nothing", async () => {
    const proposal = await propose(server, "examples/runtime-diagnostics.bundle.yaml");
    await client.signIn();
    const page = await (await client.get(`/review/${proposal.id}`)).text();
    const approve = hidden(page, "csrf", `/review/${proposal.id}/approve`);
    const reject = hidden(page, "csrf", `/review/${proposal.id}/reject`);
    const attempts = [
      {}, // no token
      { csrf: reject }, // another form's token
      { csrf: `${approve.slice(0, -2)}AA` },
    ];
    for (const fields of attempts) {
      const response = await client.post(`/review/${proposal.id}/approve`, { ...fields, write_token: "forgejo-write-token" });
      expect(response.status).toBe(403);
      expect(await response.text()).toContain("security token is missing or does not belong to this session and action");
    }
    // Another session's token is no good either.
    const other = new Client(server.app);
    await other.signIn("bob", BOB_TOKEN);
    expect((await other.post(`/review/${proposal.id}/approve`, { csrf: approve, write_token: "forgejo-write-token" })).status).toBe(403);
    expect(fake.posted).toEqual([]);
    expect((await server.proposals.require(proposal.id)).state).toBe("pending");
  });

  it("are refused from another site even with a valid token (Origin, Sec-Fetch-Site)", async () => {
    const proposal = await propose(server, "examples/runtime-diagnostics.bundle.yaml");
    await client.signIn();
    const page = await (await client.get(`/review/${proposal.id}`)).text();
    const csrf = hidden(page, "csrf", `/review/${proposal.id}/reject`);
    const bySite = await client.post(`/review/${proposal.id}/reject`, { csrf, reason: "x" }, { "sec-fetch-site": "cross-site" });
    expect(bySite.status).toBe(403);
    const byOrigin = await client.post(`/review/${proposal.id}/reject`, { csrf, reason: "x" }, { origin: "https://evil.example", "sec-fetch-site": null });
    expect(byOrigin.status).toBe(403);
    expect(await byOrigin.text()).toContain("https://evil.example");
    expect((await server.proposals.require(proposal.id)).state).toBe("pending");
  });
});

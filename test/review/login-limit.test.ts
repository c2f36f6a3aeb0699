import { afterEach, describe, expect, it } from "vitest";
import { LoginLimiter } from "../../src/server/review/login-limiter.js";
import { startTestServer, type TestServer } from "../helpers/server-harness.js";
import { ALICE_TOKEN, BOB_TOKEN, Client, EXAMPLE_TIME, hidden, TOKENS } from "../review/helpers.js";

let server: TestServer;
afterEach(async () => server.cleanup());

/** The limiter's own limit, not a number copied here. */
const MAX = new LoginLimiter().max;

describe("the sign-in limit cannot be raced or reset", () => {
  it("caps failed sign-ins per address even when the guesses are sent concurrently", async () => {
    server = await startTestServer({ PATCHWARDEN_REVIEW_TOKENS: TOKENS }, { now: () => EXAMPLE_TIME });
    const client = new Client(server.app);
    const csrf = hidden(await (await client.get("/review/login")).text(), "csrf");
    const guesses = Array.from({ length: 40 }, (_, i) => client.post("/review/login", { csrf, login: "alice", token: `guess-${i}-0123456789abcdefghij` }));
    const statuses = (await Promise.all(guesses)).map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(MAX);
    expect(statuses.filter((s) => s === 429).length).toBe(40 - MAX);
    // Still locked: the right token waits too.
    expect((await client.post("/review/login", { csrf, login: "alice", token: ALICE_TOKEN })).status).toBe(429);
  });

  it("does not let an operator reset the limiter by signing in as themselves between guesses at another's token", async () => {
    server = await startTestServer({ PATCHWARDEN_REVIEW_TOKENS: TOKENS }, { now: () => EXAMPLE_TIME });
    const statuses: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++) statuses.push((await new Client(server.app).signIn("alice", `guess-${round}-${i}-0123456789abcdefghij`)).status);
      expect((await new Client(server.app).signIn("bob", BOB_TOKEN)).status).toBe(303);
    }
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(MAX);
  });

  it("a success gives back only its own slot: the failures before it still count", async () => {
    server = await startTestServer({ PATCHWARDEN_REVIEW_TOKENS: TOKENS }, { now: () => EXAMPLE_TIME });
    for (let i = 0; i < MAX - 1; i++) expect((await new Client(server.app).signIn("alice", `typo-${i}-0123456789abcdefghij`)).status).toBe(401);
    expect((await new Client(server.app).signIn("alice", ALICE_TOKEN)).status).toBe(303);
    expect((await new Client(server.app).signIn("alice", "typo-last-0123456789abcdefghij")).status).toBe(401);
    expect((await new Client(server.app).signIn("alice", ALICE_TOKEN)).status).toBe(429);
  });

  it("a login locked by someone's guesses says so and how to go on; the other operators are not held up", async () => {
    let now = EXAMPLE_TIME;
    server = await startTestServer({ PATCHWARDEN_REVIEW_TOKENS: TOKENS }, { now: () => now });
    for (let i = 0; i < MAX; i++) await new Client(server.app).signIn("alice", `guess-${i}-0123456789abcdefghij`);
    const locked = await new Client(server.app).signIn("alice", ALICE_TOKEN);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBe(15 * 60);
    const page = await locked.text();
    expect(page).toContain("too many failed sign-ins as `alice` from this address; try again in 15 minutes.");
    expect(page).toContain("review.login_failed");
    expect((await new Client(server.app).signIn("bob", BOB_TOKEN)).status).toBe(303);
    now += 15 * 60 * 1000;
    expect((await new Client(server.app).signIn("alice", ALICE_TOKEN)).status).toBe(303);
  });

  it("keeps a login locked out when it leaves the shared window for one of its own as others' windows end", async () => {
    const MIN = 60_000;
    let now = EXAMPLE_TIME;
    server = await startTestServer({ PATCHWARDEN_REVIEW_TOKENS: TOKENS }, { now: () => now });
    const signIn = async (login: string, token: string) => (await new Client(server.app).signIn(login, token)).status;
    // Sixteen made-up logins fill the address's windows, two of them ten minutes before the rest,
    // so alice's guesses land in the shared window.
    for (let i = 0; i <= 1; i++) expect(await signIn(`junk-${i}`, "wrong-0123456789abcdefghijklmn")).toBe(401);
    now = EXAMPLE_TIME + 10 * MIN;
    for (let i = 2; i <= 15; i++) expect(await signIn(`junk-${i}`, "wrong-0123456789abcdefghijklmn")).toBe(401);
    for (let i = 0; i < MAX; i++) expect(await signIn("alice", `guess-a${i}-0123456789abcdefghij`)).toBe(401);
    expect(await signIn("alice", ALICE_TOKEN)).toBe(429);
    // The two early windows end five minutes into alice's fifteen: she gets her own, as locked.
    now = EXAMPLE_TIME + 15 * MIN + 1000;
    const later: number[] = [];
    for (let i = 0; i < MAX; i++) later.push(await signIn("alice", `guess-b${i}-0123456789abcdefghij`));
    later.push(await signIn("alice", ALICE_TOKEN));
    expect(later).toEqual(Array(MAX + 1).fill(429));
    // When the shared window ends, so does her lockout.
    now = EXAMPLE_TIME + 25 * MIN + 1000;
    expect(await signIn("alice", ALICE_TOKEN)).toBe(303);
  });
});

describe("the limiter", () => {
  it("keeps each address and login apart", () => {
    const limiter = new LoginLimiter(2, 60_000);
    for (let i = 0; i < 2; i++) expect(limiter.attempt("10.0.0.1", "alice", 0).ok).toBe(true);
    expect(limiter.attempt("10.0.0.1", "alice", 1)).toEqual({ ok: false, retryAfterMs: 59_999 });
    expect(limiter.attempt("10.0.0.2", "alice", 1).ok).toBe(true);
    expect(limiter.attempt("10.0.0.1", "bob", 1).ok).toBe(true);
    expect(limiter.attempt("10.0.0.1", "alice", 60_000).ok).toBe(true);
  });

  it("lets one address spread over only so many logins before the rest share one window", () => {
    const limiter = new LoginLimiter(2, 60_000, 100, 3);
    for (const login of ["a", "b", "c"]) limiter.attempt("10.0.0.1", login, 0);
    // Every further login shares the fourth window: new names cannot buy new guesses.
    expect(limiter.attempt("10.0.0.1", "d", 0).ok).toBe(true);
    expect(limiter.attempt("10.0.0.1", "e", 0).ok).toBe(true);
    expect(limiter.attempt("10.0.0.1", "f", 0).ok).toBe(false);
    expect(limiter.attempt("10.0.0.1", "a", 0).ok).toBe(true);
  });
});

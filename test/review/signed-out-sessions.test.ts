import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Logger } from "../../src/observability/logger.js";
import { SESSION_KEY_FILE } from "../../src/server/review/session-key.js";
import { SESSION_MS } from "../../src/server/review/sessions.js";
import { SIGNED_OUT_FILE, SignedOutSessions } from "../../src/server/review/signed-out-sessions.js";
import { startTestServer, type TestServer } from "../helpers/server-harness.js";
import { BOB_TOKEN, Client, EXAMPLE_TIME, hidden, TOKENS } from "../review/helpers.js";

let dir: string;
let running: TestServer | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-revoke-"));
});
afterEach(async () => {
  await running?.close();
  running = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function start(now: number, log?: Logger): Promise<TestServer> {
  running = await startTestServer({ PATCHWARDEN_REVIEW_TOKENS: TOKENS }, { now: () => now, ...(log !== undefined ? { log } : {}) }, dir);
  return running;
}

async function stop(): Promise<void> {
  await running?.close();
  running = undefined;
}

async function signOut(client: Client): Promise<Response> {
  const list = await (await client.get("/review")).text();
  return client.post("/review/logout", { csrf: hidden(list, "csrf", "/review/logout") });
}

/** The session cookie of `client` presented by a fresh browser. */
async function copyWorks(server: TestServer, cookie: string): Promise<boolean> {
  const copy = new Client(server.app);
  copy.cookies.set("pw_review_session", cookie);
  return (await copy.get("/review")).status === 200;
}

describe("signed-out sessions survive a restart", () => {
  it("a signed-out session cookie stays dead after the server restarts", async () => {
    const first = await start(EXAMPLE_TIME);
    const client = new Client(first.app);
    await client.signIn();
    const copy = client.cookies.get("pw_review_session")!;
    expect((await signOut(client)).status).toBe(303);
    await stop();
    const second = await start(EXAMPLE_TIME + 60_000);
    expect(await copyWorks(second, copy)).toBe(false);
  });

  it("keeps sessions signed out at the same moment, and only ids and expiry times, readable by the owner only", async () => {
    const first = await start(EXAMPLE_TIME);
    const alice = new Client(first.app);
    const bob = new Client(first.app);
    const stays = new Client(first.app);
    await alice.signIn();
    await bob.signIn("bob", BOB_TOKEN);
    await stays.signIn();
    const cookies = [alice.cookies.get("pw_review_session")!, bob.cookies.get("pw_review_session")!];
    expect((await Promise.all([signOut(alice), signOut(bob)])).map((r) => r.status)).toEqual([303, 303]);
    const path = join(dir, SIGNED_OUT_FILE);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const file = JSON.parse(await readFile(path, "utf8")) as { version: number; signed_out: Record<string, number> };
    expect(file.version).toBe(1);
    expect(Object.entries(file.signed_out).sort()).toEqual(cookies.map((cookie) => [cookie.split(".")[2]!, EXAMPLE_TIME + SESSION_MS]).sort());
    await stop();
    const second = await start(EXAMPLE_TIME + 60_000);
    for (const cookie of cookies) expect(await copyWorks(second, cookie)).toBe(false);
    expect(await copyWorks(second, stays.cookies.get("pw_review_session")!)).toBe(true);
  });

  it("forgets a sign-out once its session has expired anyway", async () => {
    const sessions = new SignedOutSessions(join(dir, SIGNED_OUT_FILE));
    await sessions.add("a".repeat(24), EXAMPLE_TIME + 1000, EXAMPLE_TIME);
    expect(await SignedOutSessions.load(dir, EXAMPLE_TIME)).toMatchObject({ ok: true });
    const later = await SignedOutSessions.load(dir, EXAMPLE_TIME + 1000);
    // A failed load would also give `false`: it must be a load that dropped the entry.
    expect(later.ok).toBe(true);
    expect(later.ok && later.sessions.has("a".repeat(24))).toBe(false);
    const before = await SignedOutSessions.load(dir, EXAMPLE_TIME + 999);
    expect(before.ok && before.sessions.has("a".repeat(24))).toBe(true);
    await sessions.add("b".repeat(24), EXAMPLE_TIME + 5000, EXAMPLE_TIME + 2000);
    expect(Object.keys((JSON.parse(await readFile(join(dir, SIGNED_OUT_FILE), "utf8")) as { signed_out: object }).signed_out)).toEqual(["b".repeat(24)]);
  });
});

describe("a damaged list of sign-outs fails closed", () => {
  for (const [what, content] of [
    ["not JSON", "{ torn"],
    ["the wrong shape", JSON.stringify({ version: 1, signed_out: { short: 1 } })],
    ["another version", JSON.stringify({ version: 2, signed_out: {} })],
  ] as const) {
    it(`ends every session with a new key, starts anyway, and signs in again (${what})`, async () => {
      const first = await start(EXAMPLE_TIME);
      const client = new Client(first.app);
      await client.signIn();
      const cookie = client.cookies.get("pw_review_session")!;
      await stop();
      const oldKey = await readFile(join(dir, SESSION_KEY_FILE), "utf8");
      await writeFile(join(dir, SIGNED_OUT_FILE), content);
      const logged: string[] = [];
      const log: Logger = { info: () => {}, warn: (event, fields) => void logged.push(`${event} ${JSON.stringify(fields)}`), error: (event) => void logged.push(event) };
      const second = await start(EXAMPLE_TIME + 60_000, log);
      expect(await copyWorks(second, cookie)).toBe(false);
      expect(logged).toEqual([expect.stringMatching(/^review\.signed_out_damaged .*review-signed-out\.json: /)]);
      const newKey = await readFile(join(dir, SESSION_KEY_FILE), "utf8");
      expect(newKey).toMatch(/^[0-9a-f]{64}\n$/);
      expect(newKey).not.toBe(oldKey);
      expect((await stat(join(dir, SESSION_KEY_FILE))).mode & 0o777).toBe(0o600);
      expect(JSON.parse(await readFile(join(dir, SIGNED_OUT_FILE), "utf8"))).toEqual({ version: 1, signed_out: {} });
      const again = new Client(second.app);
      expect((await again.signIn()).status).toBe(303);
      // The next start finds everything in order: the new sessions live on.
      await stop();
      const third = await start(EXAMPLE_TIME + 120_000);
      expect(await copyWorks(third, again.cookies.get("pw_review_session")!)).toBe(true);
    });
  }
});

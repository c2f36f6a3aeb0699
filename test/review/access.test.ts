import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { isLoopbackAddress, isLoopbackHost } from "../../src/server/review/access.js";
import { SESSION_KEY_FILE } from "../../src/server/review/session-key.js";
import { startTestServer, type TestServer } from "../helpers/server-harness.js";
import { Client, EXAMPLE_TIME, propose, TOKENS } from "./helpers.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.cleanup();
  server = undefined;
});

async function start(env: Record<string, string>): Promise<TestServer> {
  server = await startTestServer(env, { now: () => EXAMPLE_TIME });
  return server;
}

describe("never public by default", () => {
  it("on a non-loopback listen address without credentials, /review answers 404 saying how to enable it", async () => {
    const running = await start({ PATCHWARDEN_LISTEN: "0.0.0.0:0" });
    const proposal = await propose(running, "examples/runtime-diagnostics.bundle.yaml");
    for (const path of ["/review", `/review/${proposal.id}`, "/review/login"]) {
      const response = await running.app.request(path);
      expect(response.status).toBe(404);
      const page = await response.text();
      expect(page).toContain("The review page is off");
      expect(page).toContain("set PATCHWARDEN_REVIEW_TOKENS");
      expect(page).not.toContain(proposal.id);
    }
    const post = await running.app.request(`/review/${proposal.id}/approve`, { method: "POST" });
    expect(post.status).toBe(404);
  });

  it("on a non-loopback listen address with credentials, is served behind the sign-in", async () => {
    const running = await start({ PATCHWARDEN_LISTEN: "0.0.0.0:0", PATCHWARDEN_REVIEW_TOKENS: TOKENS });
    const response = await running.app.request("/review");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/review/login?next=%2Freview");
  });

  it("read-only on loopback is not served through a proxy", async () => {
    const running = await start({});
    expect((await running.app.request("/review")).status).toBe(200);
    for (const header of ["x-forwarded-for", "forwarded", "x-real-ip"]) {
      const response = await running.app.request("/review", { headers: { [header]: "203.0.113.9" } });
      expect(response.status).toBe(404);
      expect(await response.text()).toContain("served to this machine only");
    }
  });

  it("knows loopback addresses and hosts", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "::ffff:127.0.0.1", "0:0:0:0:0:0:0:1"]) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ["0.0.0.0", "::", "10.0.0.1", "192.168.1.1", "example.org", "128.0.0.1", "::2"]) expect(isLoopbackHost(host), host).toBe(false);
    expect(isLoopbackAddress("::ffff:10.0.0.1")).toBe(false);
  });
});

describe("read-only mode (no credentials, loopback)", () => {
  it("shows every proposal and says why there are no approve or reject buttons", async () => {
    const running = await start({});
    const proposal = await propose(running, "examples/runtime-diagnostics.bundle.yaml");
    const list = await (await running.app.request("/review")).text();
    expect(list).toContain(`/review/${proposal.id}`);
    expect(list).toContain("Read-only: no operator credentials are configured");
    const detail = await (await running.app.request(`/review/${proposal.id}`)).text();
    expect(detail).toContain("Read-only: no operator credentials are configured");
    expect(detail).toContain("patchwarden queue approve ID");
    expect(detail).not.toMatch(/<form|name="write_token"|name="csrf"/);
    expect(detail).not.toContain("Sign out");
  });

  it("refuses every POST (403) and changes nothing", async () => {
    const running = await start({});
    const proposal = await propose(running, "examples/runtime-diagnostics.bundle.yaml");
    const client = new Client(running.app);
    for (const path of [`/review/${proposal.id}/approve`, `/review/${proposal.id}/reject`, "/review/login", "/review/logout"]) {
      const response = await client.post(path, { write_token: "forgejo-write-token", reason: "no", login: "alice", token: "x" });
      expect(response.status, path).toBe(403);
    }
    expect((await running.proposals.require(proposal.id)).state).toBe("pending");
  });

  it("generates no session key: nothing to sign", async () => {
    const running = await start({});
    expect(await readdir(running.dataDir)).not.toContain(SESSION_KEY_FILE);
  });
});

describe("the session key", () => {
  it("is generated into the data folder once credentials are configured, readable by the owner only, and kept across restarts", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "pw-review-key-"));
    try {
      const first = await startTestServer({ PATCHWARDEN_REVIEW_TOKENS: TOKENS }, { now: () => EXAMPLE_TIME }, dataDir);
      expect((await stat(join(dataDir, SESSION_KEY_FILE))).mode & 0o777).toBe(0o600);
      const client = new Client(first.app);
      await client.signIn();
      await first.cleanup();
      server = await startTestServer({ PATCHWARDEN_REVIEW_TOKENS: TOKENS }, { now: () => EXAMPLE_TIME }, dataDir);
      const again = new Client(server.app);
      again.cookies.set("pw_review_session", client.cookies.get("pw_review_session")!);
      expect((await again.get("/review")).status).toBe(200);
    } finally {
      await server?.cleanup();
      server = undefined;
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

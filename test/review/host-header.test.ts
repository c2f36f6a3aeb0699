import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { isExpectedHost, reviewMode } from "../../src/server/review/access.js";
import { startTestServer, type TestServer } from "../helpers/server-harness.js";
import { ALICE_TOKEN, Client, EXAMPLE_TIME, hidden, propose, TOKENS } from "../review/helpers.js";

let server: TestServer;
afterEach(async () => server.cleanup());

function get(url: string, host: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { headers: { host, ...headers } }, (res) => {
      let body = "";
      res
        .setEncoding("utf8")
        .on("data", (d) => (body += d))
        .on("end", () => resolve({ status: res.statusCode!, body }));
    })
      .on("error", reject)
      .end();
  });
}

describe("DNS rebinding: the Host must be a name no other web site can own", () => {
  it("the read-only loopback page is not served under a foreign host name (DNS rebinding)", async () => {
    server = await startTestServer({}, { listen: true, now: () => EXAMPLE_TIME });
    const proposal = await propose(server, "examples/runtime-diagnostics.bundle.yaml");
    const port = new URL(server.url!).port;
    expect((await get(`${server.url}/review/${proposal.id}`, `127.0.0.1:${port}`)).status).toBe(200);
    const rebound = await get(`${server.url}/review/${proposal.id}`, `rebind.attacker.example:${port}`);
    expect(rebound.body).not.toContain(proposal.id);
    expect(rebound.status).not.toBe(200);
  });

  it("read-only: answers at localhost, 127.x and [::1] with or without a port; anything else gets 421 saying where to open it", async () => {
    server = await startTestServer({}, { listen: true, now: () => EXAMPLE_TIME });
    const proposal = await propose(server, "examples/runtime-diagnostics.bundle.yaml");
    const port = new URL(server.url!).port;
    for (const host of [`localhost:${port}`, "localhost", "LOCALHOST", "127.0.0.1", `127.9.9.9:${port}`, `[::1]:${port}`, "[::1]"]) {
      expect((await get(`${server.url}/review`, host)).status, host).toBe(200);
    }
    for (const host of [`rebind.attacker.example:${port}`, "rebind.attacker.example", `localhost.attacker.example:${port}`, `127.0.0.1.nip.io:${port}`, `10.0.0.5:${port}`]) {
      const response = await get(`${server.url}/review`, host);
      expect(response.status, host).toBe(421);
      expect(response.body).not.toContain(proposal.id);
      expect(response.body).toContain("is not a loopback name; without operator credentials the review page answers only at localhost, 127.0.0.1 or [::1]");
    }
    // Node refuses some malformed Host values itself; those that reach the page are refused there.
    for (const host of ["evil.example@127.0.0.1", "127.0.0.1:80:80", "::1", "127.0.0.1 x"]) {
      const response = await server.app.request("/review", { headers: { host } });
      expect(response.status, host).toBe(421);
    }
  });

  it("operators mode: refuses a foreign Host before anything else, the sign-in form included", async () => {
    server = await startTestServer({ PATCHWARDEN_REVIEW_TOKENS: TOKENS }, { now: () => EXAMPLE_TIME });
    const client = new Client(server.app);
    for (const path of ["/review", "/review/login"]) {
      const response = await client.get(path, { host: "rebind.attacker.example:8787" });
      expect(response.status, path).toBe(421);
      const page = await response.text();
      expect(page).toContain("the Host `rebind.attacker.example:8787` is not an address of this review page");
      expect(page).toContain("set PATCHWARDEN_REVIEW_ORIGIN");
    }
    const form = await (await client.get("/review/login")).text();
    const signIn = await client.post("/review/login", { csrf: hidden(form, "csrf"), login: "alice", token: ALICE_TOKEN }, { host: "rebind.attacker.example" });
    expect(signIn.status).toBe(421);
    expect(client.cookies.has("pw_review_session")).toBe(false);
    expect((await client.get("/review/login", { host: "127.0.0.1:8787" })).status).toBe(200);
  });

  it("operators mode behind a proxy: the proxy passes PATCHWARDEN_REVIEW_ORIGIN's host on (Host $host, X-Forwarded-For), and operators sign in", async () => {
    server = await startTestServer({ PATCHWARDEN_REVIEW_TOKENS: TOKENS, PATCHWARDEN_REVIEW_ORIGIN: "https://patchwarden.example.org" }, { now: () => EXAMPLE_TIME });
    const proxied = { host: "patchwarden.example.org", "x-forwarded-for": "203.0.113.9" };
    const client = new Client(server.app);
    const form = await client.get("/review/login", proxied);
    expect(form.status).toBe(200);
    const signIn = await client.post("/review/login", { csrf: hidden(await form.text(), "csrf"), login: "alice", token: ALICE_TOKEN }, { ...proxied, origin: "https://patchwarden.example.org" });
    expect(signIn.status).toBe(303);
    expect((await client.get("/review", proxied)).status).toBe(200);
    expect((await client.get("/review", { ...proxied, host: "patchwarden.example.org:443" })).status).toBe(200);
    expect((await client.get("/review", { ...proxied, host: "other.example.org" })).status).toBe(421);
  });

  it("a read-only page behind a proxy set up as documented is never taken for a local one", async () => {
    server = await startTestServer({}, { listen: true, now: () => EXAMPLE_TIME });
    const proposal = await propose(server, "examples/runtime-diagnostics.bundle.yaml");
    const response = await get(`${server.url}/review/${proposal.id}`, "patchwarden.example.org", { "x-forwarded-for": "203.0.113.9" });
    expect(response.status).not.toBe(200);
    expect(response.body).not.toContain(proposal.id);
  });

  it("knows which names each mode answers to", () => {
    const operators = reviewMode(new Map([["alice", ALICE_TOKEN]]), "127.0.0.1");
    const readOnly = reviewMode(new Map(), "127.0.0.1");
    const origin = new URL("https://Patchwarden.Example.org");
    for (const name of ["localhost", "127.0.0.1", "127.1.2.3", "::1"]) {
      expect(isExpectedHost(name, readOnly, "127.0.0.1", undefined), name).toBe(true);
      expect(isExpectedHost(name, operators, "127.0.0.1", undefined), name).toBe(true);
    }
    expect(isExpectedHost("patchwarden.example.org", readOnly, "127.0.0.1", origin)).toBe(false);
    expect(isExpectedHost("patchwarden.example.org", operators, "127.0.0.1", origin)).toBe(true);
    expect(isExpectedHost("patchwarden.example.org", operators, "127.0.0.1", undefined)).toBe(false);
    expect(isExpectedHost("gate.internal", operators, "gate.internal", undefined)).toBe(true);
    expect(isExpectedHost("192.0.2.7", operators, "192.0.2.7", undefined)).toBe(true);
    expect(isExpectedHost("192.0.2.8", operators, "192.0.2.7", undefined)).toBe(false);
    // Listening on every address: any IP literal (none can be rebound), but no name.
    for (const listen of ["0.0.0.0", "::"]) {
      expect(isExpectedHost("192.0.2.8", operators, listen, undefined)).toBe(true);
      expect(isExpectedHost("2001:db8::1", operators, listen, undefined)).toBe(true);
      expect(isExpectedHost("rebind.attacker.example", operators, listen, undefined)).toBe(false);
    }
    expect(isExpectedHost(null, operators, "127.0.0.1", origin)).toBe(false);
  });
});

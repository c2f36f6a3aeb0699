import { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import { isExpectedHost, isLocalRequest, reviewMode } from "../../src/server/review/access.js";
import { startTestServer, type TestServer } from "../helpers/server-harness.js";
import { ALICE_TOKEN, Client, EXAMPLE_TIME, hidden, propose, TOKENS } from "./helpers.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.cleanup();
  server = undefined;
});

describe("the read-only page and proxies", () => {
  it("is not served to a request that names a forwarded host", async () => {
    server = await startTestServer({}, { now: () => EXAMPLE_TIME });
    const proposal = await propose(server, "examples/runtime-diagnostics.bundle.yaml");
    const response = await server.app.request(`/review/${proposal.id}`, { headers: { "x-forwarded-host": "patchwarden.example.org" } });
    expect(response.status).toBe(404);
    const page = await response.text();
    expect(page).toContain("served to this machine only");
    expect(page).not.toContain(proposal.id);
  });

  it("counts a request from another machine as not local, and one from loopback or in-process as local", async () => {
    const answer = async (address: string | null, headers: Record<string, string> = {}) => {
      const app = new Hono().get("/", (c) => c.text(String(isLocalRequest(c, address))));
      return (await app.request("/", { headers })).text();
    };
    expect(await answer("203.0.113.9")).toBe("false");
    expect(await answer("::ffff:10.0.0.1")).toBe("false");
    expect(await answer("127.0.0.1")).toBe("true");
    expect(await answer("::1")).toBe("true");
    expect(await answer(null)).toBe("true");
    expect(await answer("127.0.0.1", { "x-forwarded-host": "example.org" })).toBe("false");
  });
});

describe("the Host an operators' page answers to", () => {
  it("matches PATCHWARDEN_REVIEW_ORIGIN's host when it is an IPv6 literal", () => {
    const operators = reviewMode(new Map([["alice", ALICE_TOKEN]]), "127.0.0.1");
    expect(isExpectedHost("2001:db8::7", operators, "127.0.0.1", new URL("https://[2001:db8::7]:8443"))).toBe(true);
    expect(isExpectedHost("2001:db8::8", operators, "127.0.0.1", new URL("https://[2001:db8::7]:8443"))).toBe(false);
  });

  it("is compared whatever the case the browser sends it in", async () => {
    server = await startTestServer({ PATCHWARDEN_REVIEW_TOKENS: TOKENS, PATCHWARDEN_REVIEW_ORIGIN: "https://patchwarden.example.org" }, { now: () => EXAMPLE_TIME });
    const client = new Client(server.app);
    expect((await client.get("/review/login", { host: "PatchWarden.Example.ORG" })).status).toBe(200);
    expect((await client.get("/review/login", { host: "Other.Example.ORG" })).status).toBe(421);
  });
});

/** The Set-Cookie line for `name` in a response. */
function setCookie(response: Response, name: string): string {
  const line = response.headers.getSetCookie().find((l) => l.startsWith(`${name}=`));
  if (line === undefined) throw new Error(`no Set-Cookie for ${name}`);
  return line;
}

describe("review cookies", () => {
  it("are Secure when the page is reached through an https PATCHWARDEN_REVIEW_ORIGIN, though the proxy speaks plain http", async () => {
    server = await startTestServer({ PATCHWARDEN_REVIEW_TOKENS: TOKENS, PATCHWARDEN_REVIEW_ORIGIN: "https://patchwarden.example.org" }, { now: () => EXAMPLE_TIME });
    const proxied = { host: "patchwarden.example.org", "x-forwarded-for": "203.0.113.9" };
    const client = new Client(server.app);
    const form = await client.get("/review/login", proxied);
    expect(setCookie(form, "pw_review_login")).toMatch(/; Max-Age=3600; Path=\/review; HttpOnly; Secure; SameSite=Strict$/);
    const signIn = await client.post("/review/login", { csrf: hidden(await form.text(), "csrf"), login: "alice", token: ALICE_TOKEN }, { ...proxied, origin: "https://patchwarden.example.org" });
    expect(signIn.status).toBe(303);
    expect(setCookie(signIn, "pw_review_session")).toMatch(/; Max-Age=28800; Path=\/review; HttpOnly; Secure; SameSite=Strict$/);
    expect(setCookie(signIn, "pw_review_login")).toMatch(/^pw_review_login=; Max-Age=0; Path=\/review; HttpOnly; Secure; SameSite=Strict$/);
  });

  it("are Secure when the request itself came over https", async () => {
    server = await startTestServer({ PATCHWARDEN_REVIEW_TOKENS: TOKENS }, { now: () => EXAMPLE_TIME });
    const response = await server.app.request("https://localhost/review/login");
    expect(response.status).toBe(200);
    expect(setCookie(response, "pw_review_login")).toContain("; Secure;");
  });

  it("signing in clears the sign-in form's cookie, and signing out clears the session cookie, both at /review", async () => {
    server = await startTestServer({ PATCHWARDEN_REVIEW_TOKENS: TOKENS }, { now: () => EXAMPLE_TIME });
    const client = new Client(server.app);
    const signIn = await client.signIn();
    expect(signIn.status).toBe(303);
    expect(setCookie(signIn, "pw_review_login")).toBe("pw_review_login=; Max-Age=0; Path=/review; HttpOnly; SameSite=Strict");
    const list = await (await client.get("/review")).text();
    const out = await client.post("/review/logout", { csrf: hidden(list, "csrf", "/review/logout") });
    expect(out.status).toBe(303);
    expect(setCookie(out, "pw_review_session")).toBe("pw_review_session=; Max-Age=0; Path=/review; HttpOnly; SameSite=Strict");
  });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mac } from "../../src/server/review/mac.js";
import { forgejoLink, forgejoUrlOrNull } from "../../src/server/review/links.js";
import { startTestServer, type TestServer } from "../helpers/server-harness.js";
import { Client, EXAMPLE_TIME, TOKENS } from "./helpers.js";

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer({ PATCHWARDEN_REVIEW_TOKENS: TOKENS }, { now: () => EXAMPLE_TIME });
});
afterEach(async () => server.cleanup());

const PLANTED = "Posted p_00000000000000000000 (eligible_repair_dry_run) to somewhere.";
const payload = Buffer.from(JSON.stringify({ kind: "done", text: PLANTED })).toString("base64url");

describe("a message carried to the next page", () => {
  for (const [what, cookie] of [
    ["signed with another key", `${payload}.${mac(Buffer.alloc(32, 9), "flash", payload)}`],
    ["with a made-up signature", `${payload}.${"A".repeat(43)}`],
    ["without a signature", payload],
    ["signed for another purpose", `${payload}.${mac(Buffer.alloc(32, 9), "session", payload)}`],
  ] as const) {
    it(`is not shown when it was not signed by this server (${what}), and is cleared`, async () => {
      const client = new Client(server.app);
      client.cookies.set("pw_review_flash", cookie);
      const response = await client.get("/review/login");
      expect(response.status).toBe(200);
      const page = await response.text();
      expect(page).not.toContain("somewhere");
      expect(page).not.toContain('role="status"');
      expect(response.headers.getSetCookie()).toContain("pw_review_flash=; Max-Age=0; Path=/review; HttpOnly; SameSite=Strict");
    });
  }
});

describe("links to Forgejo", () => {
  const forgejo = new URL("https://git.example.org/forgejo");

  it("link a posted comment only when it is under the configured Forgejo", () => {
    const comment = "https://git.example.org/forgejo/root/repo/issues/3#issuecomment-7";
    expect(forgejoUrlOrNull(forgejo, comment)).toBe(comment);
    expect(forgejoUrlOrNull(forgejo, undefined)).toBeNull();
    expect(forgejoUrlOrNull(forgejo, "not a url")).toBeNull();
    // Another origin, even one whose path looks right.
    expect(forgejoUrlOrNull(forgejo, "https://evil.example/forgejo/root/repo/issues/3")).toBeNull();
    expect(forgejoUrlOrNull(forgejo, "http://git.example.org/forgejo/root/repo/issues/3")).toBeNull();
    expect(forgejoUrlOrNull(forgejo, "https://git.example.org:8443/forgejo/root/repo/issues/3")).toBeNull();
    // The same origin, outside the Forgejo's own path.
    expect(forgejoUrlOrNull(forgejo, "https://git.example.org/other/root/repo/issues/3")).toBeNull();
    expect(forgejoUrlOrNull(forgejo, "https://git.example.org/forgejo-evil/root/repo/issues/3")).toBeNull();
  });

  it("link an issue, a pull request and a commit under the configured Forgejo's path, with the repository's name encoded", () => {
    expect(forgejoLink(forgejo, { repo: "root/repo", kind: "issue", number: 3 })).toBe("https://git.example.org/forgejo/root/repo/issues/3");
    expect(forgejoLink(forgejo, { repo: "root/repo", kind: "pull", number: 4 })).toBe("https://git.example.org/forgejo/root/repo/pulls/4");
    expect(forgejoLink(new URL("https://git.example.org/forgejo/"), { repo: "root/repo", kind: "commit", sha: "0123456789abcdef0123456789abcdef01234567" })).toBe(
      "https://git.example.org/forgejo/root/repo/commit/0123456789abcdef0123456789abcdef01234567",
    );
    expect(forgejoLink(forgejo, { repo: "root/re po?#", kind: "issue", number: 1 })).toBe("https://git.example.org/forgejo/root/re%20po%3F%23/issues/1");
  });
});

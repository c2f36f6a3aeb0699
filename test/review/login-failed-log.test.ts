import { afterEach, describe, expect, it } from "vitest";
import { jsonLogger } from "../../src/observability/logger.js";
import { startTestServer, type TestServer } from "../helpers/server-harness.js";
import { ALICE_TOKEN, Client, TOKENS } from "./helpers.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.cleanup();
  server = undefined;
});

const failures = (lines: string[]) => lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry["event"] === "review.login_failed");

// A token pasted into the login field (a slip, or a password manager filling the wrong field) must
// not land in the journal, which more people read than the environment file.
describe("a failed sign-in in the server log", () => {
  it("never carries a review token, even one typed as the login", async () => {
    const lines: string[] = [];
    server = await startTestServer({ PATCHWARDEN_REVIEW_TOKENS: TOKENS }, { log: jsonLogger((line) => void lines.push(line)) });
    const answer = await new Client(server.app).signIn(ALICE_TOKEN, "not-the-token-at-all-000000000");
    expect(answer.status).toBe(401);
    expect(failures(lines)).toMatchObject([{ login: "(not a configured login)" }]);
    expect(lines.join("")).not.toContain(ALICE_TOKEN);
  });

  it("names a configured operator's login", async () => {
    const lines: string[] = [];
    server = await startTestServer({ PATCHWARDEN_REVIEW_TOKENS: TOKENS }, { log: jsonLogger((line) => void lines.push(line)) });
    expect((await new Client(server.app).signIn("alice", "not-the-token-at-all-000000000")).status).toBe(401);
    expect(failures(lines)).toMatchObject([{ login: "alice" }]);
  });
});

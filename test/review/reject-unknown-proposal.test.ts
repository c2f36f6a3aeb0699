import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Logger } from "../../src/observability/logger.js";
import { csrfToken } from "../../src/server/review/csrf.js";
import { SESSION_KEY_FILE } from "../../src/server/review/session-key.js";
import { startTestServer, type TestServer } from "../helpers/server-harness.js";
import { Client, EXAMPLE_TIME, TOKENS } from "./helpers.js";

let server: TestServer;
let logged: string[];
const capture: Logger = { info: (event) => void logged.push(event), warn: (event) => void logged.push(event), error: (event) => void logged.push(event) };
const MISSING = "p_0123456789abcdef0123";

beforeEach(async () => {
  logged = [];
  server = await startTestServer({ PATCHWARDEN_REVIEW_TOKENS: TOKENS }, { now: () => EXAMPLE_TIME, log: capture });
});
afterEach(async () => server.cleanup());

// Approving an id the queue does not hold answers 404 with "there is no proposal …"; rejecting one
// answers the same, not a redirect to a page that is not there with the message left behind.
describe("rejecting a proposal this server does not have", () => {
  it("answers 404 naming the id, with or without a reason, and logs no failure", async () => {
    const client = new Client(server.app);
    await client.signIn();
    const key = Buffer.from((await readFile(join(server.dataDir, SESSION_KEY_FILE), "utf8")).trim(), "hex");
    const sessionId = client.cookies.get("pw_review_session")!.split(".").at(-2)!;
    for (const reason of ["not ours", ""]) {
      const response = await client.post(`/review/${MISSING}/reject`, { csrf: csrfToken(key, sessionId, `reject:${MISSING}`), reason });
      expect(response.status).toBe(404);
      expect(await response.text()).toContain(`there is no proposal \`${MISSING}\` in this server&#39;s queue.`);
    }
    expect(logged).not.toContain("review.reject_failed");
  });
});

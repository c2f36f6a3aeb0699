import { appendFile, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeForgejo, startMsw } from "../helpers/fake-forgejo.js";
import { fixture } from "../helpers/paths.js";
import { REPO, startTestServer, type TestServer } from "../helpers/server-harness.js";

const fake = new FakeForgejo();
const msw = startMsw(fake);
afterAll(() => msw.close());

let dir: string;
let taken: Server;
let server: TestServer | null = null;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-failed-start-"));
  taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
});
afterEach(async () => {
  await server?.cleanup();
  server = null;
  await new Promise((resolve) => taken.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe("a start that fails after the inbox was recovered", () => {
  it("stops the recovered jobs with it: none is evaluated, and the next start still owes it", async () => {
    const issue = fake.issue(REPO, 3, { labels: ["gate/review"] });
    fake.attach(issue, "diag.bundle.yaml", await readFile(fixture("examples/runtime-diagnostics.bundle.yaml")));
    const accepted = { type: "accepted", delivery: "owed-1", received_at: "2026-11-21T04:00:00.000Z", event: "issues", event_type: "issue_label", job: { trigger: "label", repo: REPO, number: 3, isPull: false, sender: "root" } };
    await mkdir(join(dir, "inbox"), { recursive: true });
    await appendFile(join(dir, "inbox", "deliveries.jsonl"), `${JSON.stringify(accepted)}\n`);
    const port = (taken.address() as { port: number }).port;

    const failed = await startTestServer({ PATCHWARDEN_LISTEN: `127.0.0.1:${port}` }, { listen: true }, dir).then(
      () => null,
      (error: unknown) => error as Error,
    );
    expect(failed?.message).toMatch(/^PATCHWARDEN_LISTEN: `127\.0\.0\.1:\d+`.*in use/);
    // Long enough for a job the failed start left running to ask Forgejo for the issue.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.requests).toEqual([]);

    server = await startTestServer({}, { listen: false }, dir);
    expect(server.recoveredJobs).toBe(1);
    await server.worker.idle();
    expect(await server.proposals.list()).toHaveLength(1);
  });
});

import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Logger } from "../../src/observability/logger.js";
import { useFakeForgejo } from "../helpers/fake-forgejo.js";
import { fixture } from "../helpers/paths.js";
import { deliveryRequest, payload, REPO, startTestServer, type TestServer } from "../helpers/server-harness.js";
import { verdictProposals } from "../helpers/verdict-proposals.js";

const forgejo = useFakeForgejo();
let dir: string;
let server: TestServer | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-failed-job-"));
});
afterEach(async () => {
  await server?.cleanup();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

function recordingLog() {
  const errors: Array<{ event: string; fields: Record<string, unknown> }> = [];
  const quiet = () => {};
  const log = { info: quiet, warn: quiet, error: (event: string, fields: Record<string, unknown> = {}) => void errors.push({ event, fields }) } as unknown as Logger;
  return { log, errors };
}

const start = (log: Logger) => startTestServer({}, { now: () => Date.parse("2026-11-21T12:00:00Z"), log }, dir);

/** The queue cannot be written (a full disk, a folder with the wrong owner): stood in for by a file where its folder goes. */
async function breakQueue(): Promise<void> {
  await rm(join(dir, "queue"), { recursive: true, force: true });
  await writeFile(join(dir, "queue"), "");
}

describe("a delivery answered 202 whose evaluation failed on the gate's own disk", () => {
  it("is not lost: the log says so, and the next start evaluates it once the disk is fixed", async () => {
    forgejo.fake.attach(forgejo.fake.issue(REPO, 3, { labels: ["gate/review"] }), "runtime-diagnostics.bundle.yaml", await readFile(fixture("examples/runtime-diagnostics.bundle.yaml")));
    const body = await payload("synthesized/issues__label_updated.json");
    const first = recordingLog();
    server = await start(first.log);
    await breakQueue();
    expect((await server.app.request("/webhooks/forgejo", deliveryRequest({ event: "issues", type: "issue_label", id: "d-1", body }))).status).toBe(202);
    await server.worker.idle();
    const failed = first.errors.find((e) => e.event === "job.failed");
    expect(failed?.fields["message"]).toBe("the delivery stays unfinished and is evaluated again at the next start (at most 3 attempts in all): fix the cause, then restart patchwarden serve");
    // Forgejo's Redeliver is still a duplicate: the job itself is what must survive.
    expect(await (await server.app.request("/webhooks/forgejo", deliveryRequest({ event: "issues", type: "issue_label", id: "d-1-redelivered", body }))).json()).toMatchObject({ status: "duplicate" });
    await server.cleanup();

    await rm(join(dir, "queue"), { force: true });
    const second = recordingLog();
    server = await start(second.log);
    expect(server.recoveredJobs).toBe(1);
    await server.worker.idle();
    expect(second.errors).toEqual([]);
    const proposals = await verdictProposals(server.proposals);
    expect(proposals.map((p) => p.delivery?.id)).toEqual(["d-1"]);
  }, 30_000);

  it("is given up after three failed attempts, so a job that always fails does not run at every start", async () => {
    forgejo.fake.attach(forgejo.fake.issue(REPO, 3, { labels: ["gate/review"] }), "runtime-diagnostics.bundle.yaml", await readFile(fixture("examples/runtime-diagnostics.bundle.yaml")));
    const body = await payload("synthesized/issues__label_updated.json");
    const recovered: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      const { log } = recordingLog();
      server = await start(log);
      recovered.push(server.recoveredJobs);
      await breakQueue();
      if (attempt === 1) await server.app.request("/webhooks/forgejo", deliveryRequest({ event: "issues", type: "issue_label", id: "d-1", body }));
      await server.worker.idle();
      await server.cleanup();
      server = undefined;
    }
    expect(recovered).toEqual([0, 1, 1, 0]);
  }, 30_000);
});

import { appendFile, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { IssueJob, Job } from "../../src/forgejo/jobs.js";
import type { ForgejoReader } from "../../src/forgejo/reader.js";
import type { DeliveryRecord } from "../../src/inbox/delivery-record.js";
import { checkRecoveredJob } from "../../src/inbox/recovered-job.js";
import { RecordedPostChangedError } from "../../src/queue/propose-verdict.js";
import { GateWorker, type WorkerDeps } from "../../src/server/gate-worker.js";
import { signWebhookPayload } from "../../src/forgejo/webhook-signature.js";
import { deliveryRequest, payload, REPO, SECRET, startTestServer, type TestServer } from "../helpers/server-harness.js";
import { recordingLog } from "../helpers/recording-log.js";

const notFound: typeof fetch = async () => new Response("{}", { status: 404, headers: { "content-type": "application/json" } });

/** A log that keeps what it is told, by level. */
describe("checkRecoveredJob: a job read back from the inbox, per trigger", () => {
  const valid: Job[] = [
    { trigger: "label", repo: REPO, number: 3, isPull: false, sender: "root" },
    { trigger: "command", repo: REPO, number: 3, isPull: true, sender: "root", commentId: 9 },
    { trigger: "push", repo: REPO, ref: "refs/heads/main", before: "a".repeat(40), after: "b".repeat(40), sender: "root", files: ["evidence/x.json"], truncated: false },
    { trigger: "push", repo: REPO, ref: "refs/heads/main", before: "a".repeat(40), after: "b".repeat(40), sender: "root", files: [], policyFiles: ["policies/p.toml"], truncated: true },
    { trigger: "pull_request", repo: REPO, number: 4, headSha: "c".repeat(40), sender: "iskra-bot" },
  ];

  it("passes every kind of job the intake writes, as it was", () => {
    for (const job of valid) expect(checkRecoveredJob(job)).toEqual({ ok: true, job });
  });

  it("drops keys it does not know rather than refusing the job", () => {
    expect(checkRecoveredJob({ ...valid[0], addedLater: 1 })).toEqual({ ok: true, job: valid[0] });
  });

  it("names the first field that is missing or wrong", () => {
    expect(checkRecoveredJob({ trigger: "push", repo: REPO })).toEqual({ ok: false, problem: "`ref`: invalid input: expected string, received undefined" });
    expect(checkRecoveredJob({ trigger: "pull_request", repo: REPO, number: "4", headSha: "c", sender: "x" })).toEqual({ ok: false, problem: "`number`: invalid input: expected number, received string" });
    expect(checkRecoveredJob({ trigger: "label", repo: REPO, number: 3, isPull: false, sender: "" })).toMatchObject({ ok: false, problem: expect.stringMatching(/^`sender`: /) });
    expect(checkRecoveredJob({ trigger: "deploy", repo: REPO })).toMatchObject({ ok: false, problem: expect.stringMatching(/^`trigger`: invalid discriminator value/) });
    expect(checkRecoveredJob(null)).toMatchObject({ ok: false });
  });
});

describe("a job recovered from the inbox at start", () => {
  let dir: string;
  let server: TestServer | null = null;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "pw-recovered-"));
  });
  afterEach(async () => {
    await server?.cleanup();
    server = null;
    await rm(dir, { recursive: true, force: true });
  });

  /** An inbox holding `line`, as a crash left it: accepted, never done. */
  async function inboxHolding(line: object): Promise<void> {
    await mkdir(join(dir, "inbox"), { recursive: true });
    await appendFile(join(dir, "inbox", "deliveries.jsonl"), `${JSON.stringify(line)}\n`);
  }

  /** A Forgejo that has nothing (404), and the URLs asked of it. */
  function recordingFetch(): { fetch: typeof globalThis.fetch; requests: string[] } {
    const requests: string[] = [];
    const fetch: typeof globalThis.fetch = async (input, init) => {
      requests.push(String(input));
      return notFound(input, init);
    };
    return { fetch, requests };
  }

  describe("a recovered job that is not a valid job", () => {
    it("is marked done with a note and not run, and the server keeps going (and is not asked again on the next start)", async () => {
      // As in an old or hand-edited inbox: passes the log's loose schema, lacks what a push job needs.
      const loose = { type: "accepted", delivery: "old-1", received_at: "2026-11-21T04:00:00.000Z", event: "push", event_type: "push", job: { trigger: "push", repo: REPO } };
      await inboxHolding(loose);
      const { fetch, requests } = recordingFetch();
      const { log, lines } = recordingLog();
      server = await startTestServer({}, { fetch, log }, dir);
      expect(server.recoveredJobs).toBe(1);
      await server.worker.idle();
      expect(requests).toEqual([]);
      expect(lines.filter((l) => l.level === "error")).toEqual([]);
      const note = "recovered job is not a valid push job (`ref`: invalid input: expected string, received undefined); it was not run: ask for the check again (gate label, `/patchwarden check` or a new push)";
      expect(lines).toContainEqual({ level: "warn", event: "job.invalid", fields: { delivery: "old-1", note } });
      expect((await server.app.request("/healthz")).status).toBe(200);
      await server.close();
      server = null;
      const done = (await readFile(join(dir, "inbox", "deliveries.jsonl"), "utf8")).trim().split("\n").map((line) => JSON.parse(line) as DeliveryRecord).filter((r) => r.type === "done");
      expect(done).toEqual([{ type: "done", delivery: "old-1", at: "2026-11-21T05:00:00.000Z", proposals: [], note }]);
      server = await startTestServer({}, { fetch }, dir);
      expect(server.recoveredJobs).toBe(0);
    });
  });

  describe("a recovered job whose inbox line carries the payload's HMAC (the content key)", () => {
    it("is checked and run like any other, and a redelivery of it under a new id is a duplicate", async () => {
      const body = await payload("synthesized/issues__label_updated.json");
      const line = { type: "accepted", delivery: "crashed-1", received_at: "2026-11-21T04:00:00.000Z", event: "issues", event_type: "issue_label", payload_hmac: signWebhookPayload(SECRET, body), job: { trigger: "label", repo: REPO, number: 3, isPull: false, sender: "root" } };
      await inboxHolding(line);
      const { fetch, requests } = recordingFetch();
      const { log, lines } = recordingLog();
      server = await startTestServer({}, { fetch, log }, dir);
      expect(server.recoveredJobs).toBe(1);
      const redelivery = await server.app.request("/webhooks/forgejo", deliveryRequest({ event: "issues", type: "issue_label", id: "crashed-1-redelivered", body }));
      expect(await redelivery.json()).toEqual({ delivery: "crashed-1-redelivered", status: "duplicate" });
      await server.worker.idle();
      expect(lines.filter((l) => l.event === "job.invalid")).toEqual([]);
      expect(requests.length).toBeGreaterThan(0);
      expect((await server.proposals.list()).map((p) => p.delivery?.id)).toEqual(["crashed-1"]);
    });
  });
});

describe("GateWorker: nothing a job throws escapes", () => {
  const job: IssueJob = { trigger: "label", repo: REPO, number: 7, isPull: false, sender: "root" };

  function stubbedWorker(overrides: Partial<WorkerDeps> = {}) {
    const { log, lines } = recordingLog();
    const done: DeliveryRecord[] = [];
    const reader = { issue: async () => Promise.reject(new Error("stub reader")) } as unknown as ForgejoReader;
    const deps = { reader, inbox: { appendEventually: (record: DeliveryRecord) => void done.push(record) }, log, now: Date.now, fetch: {}, policyGlobs: [], ...overrides } as unknown as WorkerDeps;
    return { worker: new GateWorker(deps), lines, done };
  }

  it("logs a job that cannot even be described, marks it done, and runs the next", async () => {
    const { worker, lines, done } = stubbedWorker();
    // Not recovered, so not checked: the way a malformed job reached process() before.
    worker.enqueue("d-bad", { trigger: "push", repo: REPO } as unknown as Job);
    worker.enqueue("d-next", job);
    await worker.idle();
    const failed = lines.filter((l) => l.event === "job.failed");
    expect(failed.map((l) => [l.fields.delivery, l.fields.job])).toEqual([
      ["d-bad", "push job (not describable)"],
      ["d-next", `label on ${REPO}#7`],
    ]);
    expect(done.map((r) => [r.delivery, r.type === "done" ? r.note : undefined])).toEqual([
      ["d-bad", expect.stringMatching(/^evaluation failed: /)],
      ["d-next", "evaluation failed: stub reader"],
    ]);
    expect(worker.backlog).toBe(0);
  });

  it("marks a job done, not failed, when judging again cannot give back what its first run recorded (no later start could)", async () => {
    const recordedPostChanged = new RecordedPostChangedError("proposal `p_1`: judged again after a restart, it would post other words than its `proposal.proposed` receipt (receipt 6) recorded (…), so it was not queued; ask for a new gate check");
    const { worker, lines, done } = stubbedWorker({ reader: { issue: async () => Promise.reject(recordedPostChanged) } as unknown as ForgejoReader });
    worker.enqueue("d-upgraded", job, true);
    await worker.idle();
    expect(done).toEqual([{ type: "done", delivery: "d-upgraded", at: expect.any(String), proposals: [], note: `not queued: ${recordedPostChanged.message}` }]);
    expect(lines.filter((l) => l.event === "job.failed")).toEqual([]);
    expect(lines).toContainEqual({ level: "warn", event: "job.not_queued", fields: { delivery: "d-upgraded", job: `label on ${REPO}#7`, message: recordedPostChanged.message } });
  });

  it("logs a failing done hook and a failing done record, and still runs the next job", async () => {
    const onJobDone = () => {
      throw new Error("metrics exploded");
    };
    const inbox = {
      appendEventually: () => {
        throw new Error("inbox closed");
      },
    };
    const { worker, lines } = stubbedWorker({ onJobDone, inbox });
    worker.enqueue("d-1", job);
    worker.enqueue("d-2", job);
    await worker.idle();
    expect(lines.filter((l) => l.event === "job.done_hook_failed").map((l) => [l.fields.delivery, l.fields.error])).toEqual([
      ["d-1", "metrics exploded"],
      ["d-2", "metrics exploded"],
    ]);
    expect(lines.filter((l) => l.event === "job.done_not_recorded").map((l) => l.fields.delivery)).toEqual(["d-1", "d-2"]);
  });
});

import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { useFakeForgejo } from "../helpers/fake-forgejo.js";
import { fixture } from "../helpers/paths.js";
import { deliveryRequest, payload, REPO, startTestServer, type TestServer } from "../helpers/server-harness.js";
import { verdictProposals } from "../helpers/verdict-proposals.js";

const forgejo = useFakeForgejo();
let server: TestServer;
afterEach(async () => {
  await server?.cleanup();
  expect(forgejo.fake.violations, "requests and responses must fit Forgejo's API description").toEqual([]);
  expect(forgejo.fake.writes(), "intake and evaluation never write to Forgejo").toEqual([]);
});

describe("a burst larger than the worker holds in memory", () => {
  it("evaluates every accepted delivery once, those left in the inbox included, and a redelivery of one not at all", async () => {
    server = await startTestServer({}, { now: () => Date.parse("2026-11-21T12:00:00Z"), maxQueuedJobs: 2 });
    const bundle = await readFile(fixture("examples/runtime-diagnostics.bundle.yaml"));
    const template = JSON.parse(await payload("synthesized/issues__label_updated.json")) as { issue: { number: number } };
    const bodies: string[] = [];
    for (let number = 1; number <= 9; number++) {
      forgejo.fake.attach(forgejo.fake.issue(REPO, number, { labels: ["gate/review"] }), "runtime-diagnostics.bundle.yaml", bundle);
      template.issue.number = number;
      bodies.push(JSON.stringify(template));
    }
    const answers = await Promise.all(bodies.map((body, i) => server.app.request("/webhooks/forgejo", deliveryRequest({ event: "issues", type: "issue_label", id: `d-${i + 1}`, body }))));
    expect(answers.map((a) => a.status)).toEqual(Array(9).fill(202));
    // Evaluation waits for a quiet moment, so most of the burst is still waiting, in the inbox.
    expect(server.worker.held).toBe(2);
    expect(server.worker.backlog).toBe(9);
    // Forgejo's Redeliver of the last: the same bytes under a new id.
    const again = await server.app.request("/webhooks/forgejo", deliveryRequest({ event: "issues", type: "issue_label", id: "d-9-again", body: bodies[8]! }));
    expect(await again.json()).toMatchObject({ status: "duplicate" });
    await server.worker.idle();
    const proposals = await verdictProposals(server.proposals);
    expect(proposals.map((p) => (p.target.kind === "issue" ? p.target.number : 0)).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(new Set(proposals.map((p) => p.delivery?.id)).size).toBe(9);
    expect(server.worker.backlog).toBe(0);
  });
});

describe("a restart after a crash that left a burst unfinished", () => {
  it("holds no more recovered jobs than maxQueuedJobs, and evaluates each unfinished one once, a finished one not again", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pw-recover-burst-"));
    try {
      const bundle = await readFile(fixture("examples/runtime-diagnostics.bundle.yaml"));
      const at = "2026-11-21T11:00:00.000Z";
      const lines: string[] = [];
      for (let number = 1; number <= 12; number++) {
        forgejo.fake.attach(forgejo.fake.issue(REPO, number, { labels: ["gate/review"] }), "runtime-diagnostics.bundle.yaml", bundle);
        lines.push(JSON.stringify({ type: "accepted", delivery: `d-${number}`, received_at: at, event: "issues", event_type: "issue_label", job: { trigger: "label", repo: REPO, number, isPull: false, sender: "root" } }));
        // Every third one was evaluated before the crash.
        if (number % 3 === 0) lines.push(JSON.stringify({ type: "done", delivery: `d-${number}`, at, proposals: [] }));
      }
      await mkdir(join(dir, "inbox"));
      await writeFile(join(dir, "inbox", "deliveries.jsonl"), lines.map((line) => `${line}\n`).join(""));
      server = await startTestServer({}, { now: () => Date.parse("2026-11-21T12:00:00Z"), maxQueuedJobs: 2 }, dir);
      expect(server.recoveredJobs).toBe(8);
      expect(server.worker.backlog).toBe(8);
      let mostHeld = 0;
      const watch = setInterval(() => (mostHeld = Math.max(mostHeld, server.worker.held)), 1);
      await server.worker.idle();
      clearInterval(watch);
      mostHeld = Math.max(mostHeld, server.worker.held);
      expect(mostHeld).toBeGreaterThan(0);
      expect(mostHeld).toBeLessThanOrEqual(2);
      const proposals = await verdictProposals(server.proposals);
      expect(proposals.map((p) => (p.target.kind === "issue" ? p.target.number : 0)).sort((a, b) => a - b)).toEqual([1, 2, 4, 5, 7, 8, 10, 11]);
      expect(server.worker.backlog).toBe(0);
    } finally {
      await server.cleanup();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

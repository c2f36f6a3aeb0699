import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { jsonLogger } from "../../src/observability/logger.js";
import { FakeForgejo, startMsw } from "../helpers/fake-forgejo.js";
import { fixture } from "../helpers/paths.js";
import { deliveryRequest, payload, REPO, SECRET, startTestServer, type TestServer } from "../helpers/server-harness.js";

const fake = new FakeForgejo();
const msw = startMsw(fake);
afterAll(() => msw.close());

const READ_TOKEN = "read-token-that-must-never-be-logged-0001";
let server: TestServer;
let lines: string[];
beforeEach(async () => {
  lines = [];
  server = await startTestServer({ PATCHWARDEN_FORGEJO_TOKEN: READ_TOKEN }, { log: jsonLogger((line) => void lines.push(line)), now: () => Date.parse("2026-11-21T12:00:00Z") });
});
afterEach(() => server.cleanup());

const metric = (text: string, name: string) => {
  const line = text.split("\n").find((l) => l.startsWith(name));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
};

describe("GET /metrics", () => {
  it("counts deliveries by event and outcome, signature failures, dedup hits, verdicts, evaluation time, queue depth", async () => {
    const issue = fake.issue(REPO, 3, { labels: ["gate/review"] });
    fake.attach(issue, "diag.bundle.yaml", await readFile(fixture("examples/runtime-diagnostics.bundle.yaml")));
    const label = await payload("synthesized/issues__label_updated.json");
    const post = (init: RequestInit) => server.app.request("/webhooks/forgejo", init);
    await post(deliveryRequest({ event: "issues", type: "issue_label", id: "m-1", body: label }));
    await post(deliveryRequest({ event: "issues", type: "issue_label", id: "m-1", body: label }));
    await post(deliveryRequest({ event: "issues", id: "m-2", body: label, secret: "not-the-secret-not-the-secret-0" }));
    await post(deliveryRequest({ event: "release", id: "m-3", body: await payload("real/forgejo-codeberg-HookRelease.json") }));
    await post(deliveryRequest({ event: "x".repeat(200), id: "m-4", body: "{}", secret: "also-wrong-also-wrong-also-wrong" }));
    await server.worker.idle();
    const response = await server.app.request("/metrics");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(metric(text, 'patchwarden_deliveries_total{event="issues",outcome="accepted"}')).toBe(1);
    expect(metric(text, 'patchwarden_deliveries_total{event="issues",outcome="duplicate"}')).toBe(1);
    expect(metric(text, 'patchwarden_deliveries_total{event="issues",outcome="unauthorized"}')).toBe(1);
    expect(metric(text, 'patchwarden_deliveries_total{event="release",outcome="ignored"}')).toBe(1);
    expect(metric(text, 'patchwarden_deliveries_total{event="other",outcome="unauthorized"}')).toBe(1);
    expect(text).not.toContain("x".repeat(200));
    expect(metric(text, "patchwarden_signature_failures_total")).toBe(2);
    expect(metric(text, "patchwarden_dedup_hits_total")).toBe(1);
    expect(metric(text, 'patchwarden_verdicts_total{repair_class="runtime_diagnostics",verdict="eligible_repair_dry_run"}')).toBe(1);
    expect(metric(text, "patchwarden_evaluation_duration_seconds_count")).toBe(1);
    expect(metric(text, 'patchwarden_queue_proposals{state="pending"}')).toBe(1);
    expect(metric(text, "patchwarden_worker_backlog")).toBe(0);
    expect(text).toMatch(/^patchwarden_process_resident_memory_bytes \d+/m);
  });

  it("counts a Forgejo redelivery (a new delivery id, the same signed bytes) as a dedup hit", async () => {
    fake.issue(REPO, 3, { labels: ["gate/review"] });
    const label = await payload("synthesized/issues__label_updated.json");
    for (const id of ["r-1", "r-1-redelivered", "r-1-redelivered-again"]) await server.app.request("/webhooks/forgejo", deliveryRequest({ event: "issues", type: "issue_label", id, body: label }));
    await server.worker.idle();
    const text = await (await server.app.request("/metrics")).text();
    expect(metric(text, 'patchwarden_deliveries_total{event="issues",outcome="accepted"}')).toBe(1);
    expect(metric(text, 'patchwarden_deliveries_total{event="issues",outcome="duplicate"}')).toBe(2);
    expect(metric(text, "patchwarden_dedup_hits_total")).toBe(2);
    expect(text).toMatch(/^# HELP patchwarden_dedup_hits_total .*another id \(a redelivery from Forgejo/m);
  });

  it("labels a verdict on a class the policy does not know as `unknown`: a candidate cannot add metric labels", async () => {
    const issue = fake.issue(REPO, 3, { labels: ["gate/review"] });
    const bundle = (await readFile(fixture("examples/runtime-diagnostics.bundle.yaml"), "utf8")).replace("repair_class: runtime_diagnostics", "repair_class: invented_class_for_metrics");
    fake.attach(issue, "diag.bundle.yaml", Buffer.from(bundle));
    await server.app.request("/webhooks/forgejo", deliveryRequest({ event: "issues", type: "issue_label", id: "m-class", body: await payload("synthesized/issues__label_updated.json") }));
    await server.worker.idle();
    const text = await (await server.app.request("/metrics")).text();
    expect(metric(text, 'patchwarden_verdicts_total{repair_class="unknown",verdict="blocked"}')).toBe(1);
    expect(text).not.toContain("invented_class_for_metrics");
  });

  it("counts Forgejo request errors by kind", async () => {
    fake.failure = "down";
    await server.app.request("/webhooks/forgejo", deliveryRequest({ event: "issues", type: "issue_label", id: "m-down", body: await payload("synthesized/issues__label_updated.json") }));
    await server.worker.idle();
    fake.failure = null;
    const text = await (await server.app.request("/metrics")).text();
    expect(metric(text, 'patchwarden_forgejo_request_errors_total{failure="unreachable"}')).toBe(1);
    expect(metric(text, 'patchwarden_verdicts_total{repair_class="unknown",verdict="blocked"}')).toBe(1);
  });
});

describe("GET /metrics when the queue cannot be read", () => {
  // The proposals folder replaced by a file: ProposalStore.scan fails with a QueueDataError.
  const breakQueue = async () => {
    const proposals = join(server.dataDir, "queue", "proposals");
    await rm(proposals, { recursive: true, force: true });
    await mkdir(join(server.dataDir, "queue"), { recursive: true });
    await writeFile(proposals, "not a folder");
    return proposals;
  };

  it("answers 500 with its own message, not the webhook's, and logs http.error", async () => {
    await breakQueue();
    const response = await server.app.request("/metrics");
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: "internal", message: "/metrics could not be answered; see the server log (`http.error`)" });
    const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((e) => e["event"] === "http.error");
    expect(logged).toMatchObject([{ method: "GET", path: "/metrics" }]);
  });

  it("fails every scrape while the queue is unreadable, rather than report stale counts, and counts again once it is readable", async () => {
    const proposals = await breakQueue();
    expect((await server.app.request("/metrics")).status).toBe(500);
    expect((await server.app.request("/metrics")).status).toBe(500);
    await rm(proposals, { force: true });
    await mkdir(proposals);
    const again = await server.app.request("/metrics");
    expect(again.status).toBe(200);
    expect(metric(await again.text(), 'patchwarden_queue_proposals{state="pending"}')).toBe(0);
  });
});

describe("structured logs", () => {
  it("are one JSON object per line, one per delivery with its id, and never carry a secret or token", async () => {
    fake.issue(REPO, 3, { labels: ["gate/review"] });
    const label = await payload("synthesized/issues__label_updated.json");
    await server.app.request("/webhooks/forgejo", deliveryRequest({ event: "issues", type: "issue_label", id: "log-1", body: label }));
    await server.app.request("/webhooks/forgejo", deliveryRequest({ event: "issues", id: "log-2", body: label, secret: "wrong-wrong-wrong-wrong-wrong-00" }));
    await server.app.request("/webhooks/forgejo", deliveryRequest({ event: "release", id: "log-3", body: await payload("real/forgejo-codeberg-HookRelease.json") }));
    await server.worker.idle();
    const entries = lines.map((line) => {
      expect(line.endsWith("\n")).toBe(true);
      expect(line.trim().split("\n")).toHaveLength(1);
      return JSON.parse(line) as Record<string, unknown>;
    });
    expect(entries.filter((e) => e["event"] === "delivery").map((e) => [e["delivery"], e["outcome"]])).toEqual([
      ["log-1", "accepted"],
      ["log-2", "unauthorized"],
      ["log-3", "ignored"],
    ]);
    expect(entries.find((e) => e["delivery"] === "log-3")?.["reason"]).toMatch(/event `release` is not a trigger/);
    expect(entries.find((e) => e["event"] === "proposal.created")).toMatchObject({ delivery: "log-1", proposal: expect.stringMatching(/^p_/) });
    const all = lines.join("");
    for (const secret of [SECRET, READ_TOKEN]) expect(all).not.toContain(secret);
  });

  it("redact any field named like a credential", () => {
    const out: string[] = [];
    jsonLogger((line) => void out.push(line)).info("x", { token: "t0ps3cret", apiSecret: "s", password: "p", authorization: "token abc", keep: "visible" });
    expect(JSON.parse(out[0]!)).toMatchObject({ token: "[redacted]", apiSecret: "[redacted]", password: "[redacted]", authorization: "[redacted]", keep: "visible" });
  });
});

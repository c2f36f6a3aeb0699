import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { FakeForgejo, startMsw } from "../helpers/fake-forgejo.js";
import { deliveryRequest, payload, REPO, startTestServer, type TestServer } from "../helpers/server-harness.js";

const fake = new FakeForgejo();
const msw = startMsw(fake);
afterAll(() => msw.close());

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
  fake.issue(REPO, 3, { labels: ["gate/review"] });
});
afterEach(async () => server.cleanup());

const post = (init: RequestInit) => server.app.request("/webhooks/forgejo", init);

/** Stops the server and starts another on the same data folder, which the next cleanup removes. */
async function restart(env: Record<string, string> = {}): Promise<void> {
  const dataDir = server.dataDir;
  await server.close();
  const next = await startTestServer(env, {}, dataDir);
  server = { ...next, cleanup: async () => (await next.cleanup(), await rm(dataDir, { recursive: true, force: true })) };
}
const labelUpdated = () => payload("synthesized/issues__label_updated.json");

describe("POST /webhooks/forgejo: what arrives, and what it answers", () => {
  it("accepts a signed label delivery with 202 and persists it before answering", async () => {
    const response = await post(deliveryRequest({ event: "issues", type: "issue_label", id: "d-label-1", body: await labelUpdated() }));
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ delivery: "d-label-1", status: "accepted", trigger: "label" });
    const inbox = await readFile(join(server.dataDir, "inbox", "deliveries.jsonl"), "utf8");
    expect(inbox).toContain('"type":"accepted","delivery":"d-label-1"');
  });

  it("answers 401 for a wrong signature and parses nothing", async () => {
    const init = deliveryRequest({ event: "issues", type: "issue_label", id: "d-bad", body: await labelUpdated(), secret: "a-different-secret-0000000000" });
    const response = await post(init);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "bad_signature" });
  });

  it("answers 401 for an empty signature (a hook without a secret)", async () => {
    const response = await post(deliveryRequest({ event: "issues", id: "d-empty", body: await labelUpdated(), headers: { "x-forgejo-signature": "", "x-gitea-signature": "", "x-hub-signature-256": "" } }));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "missing_signature" });
  });

  it("answers 401 when a valid signature is for other bytes (body changed in transit)", async () => {
    const init = deliveryRequest({ event: "issues", id: "d-tamper", body: await labelUpdated() });
    const tampered = Buffer.from(String(Buffer.from(init.body as Buffer)).replace('"gate/review"', '"gate/reviex"'));
    expect((await post({ ...init, body: tampered })).status).toBe(401);
  });

  it("deduplicates a replayed or redelivered delivery: 202 duplicate, nothing new", async () => {
    const body = await labelUpdated();
    const init = deliveryRequest({ event: "issues", type: "issue_label", id: "d-replay", body });
    expect(await (await post(init)).json()).toMatchObject({ status: "accepted" });
    await server.worker.idle();
    // The same request again (a resend under the same id).
    for (let i = 0; i < 2; i++) expect(await (await post(init)).json()).toEqual({ delivery: "d-replay", status: "duplicate" });
    // Forgejo's Redeliver (ReplayHookTask → CreateHookTask): the same signed bytes under a new UUID.
    for (const id of ["d-replay-redelivered-1", "d-replay-redelivered-2"]) {
      const redelivery = deliveryRequest({ event: "issues", type: "issue_label", id, body });
      expect(redelivery.headers["x-forgejo-signature"]).toBe(init.headers["x-forgejo-signature"]);
      expect(await (await post(redelivery)).json()).toEqual({ delivery: id, status: "duplicate" });
    }
    await server.worker.idle();
    expect((await server.proposals.list()).length).toBe(1);
    const inbox = (await readFile(join(server.dataDir, "inbox", "deliveries.jsonl"), "utf8")).trim().split("\n");
    expect(inbox.filter((line) => line.includes('"type":"accepted"'))).toHaveLength(1);
    expect(inbox.some((line) => line.includes("redelivered"))).toBe(false);
  });

  it("recognises a redelivery under a new id after a restart, from the content key the inbox line keeps", async () => {
    const body = await labelUpdated();
    expect(await (await post(deliveryRequest({ event: "issues", type: "issue_label", id: "d-before", body }))).json()).toMatchObject({ status: "accepted" });
    await server.worker.idle();
    expect(await readFile(join(server.dataDir, "inbox", "deliveries.jsonl"), "utf8")).toMatch(/"delivery":"d-before",.*"payload_hmac":"[0-9a-f]{64}"/);
    await restart();
    expect(await (await post(deliveryRequest({ event: "issues", type: "issue_label", id: "d-after", body }))).json()).toEqual({ delivery: "d-after", status: "duplicate" });
    await server.worker.idle();
    expect((await server.proposals.list()).length).toBe(1);
  });

  it("evaluates again a payload signed with another secret (after a rotation): its proposal supersedes the pending one", async () => {
    const body = await labelUpdated();
    expect(await (await post(deliveryRequest({ event: "issues", type: "issue_label", id: "d-old-secret", body }))).json()).toMatchObject({ status: "accepted" });
    await server.worker.idle();
    const rotated = "the-rotated-secret-0123456789abcd";
    await restart({ PATCHWARDEN_WEBHOOK_SECRET: rotated });
    expect(await (await post(deliveryRequest({ event: "issues", type: "issue_label", id: "d-new-secret", body, secret: rotated }))).json()).toMatchObject({ status: "accepted" });
    await server.worker.idle();
    expect((await server.proposals.list()).map((p) => p.state).sort()).toEqual(["pending", "superseded"]);
  });

  it("answers 413 for a body over the limit", async () => {
    await server.cleanup();
    server = await startTestServer({ PATCHWARDEN_MAX_BODY_BYTES: "2048" });
    const response = await post(deliveryRequest({ event: "issues", id: "d-big", body: JSON.stringify({ filler: "x".repeat(4096) }) }));
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: "payload_too_large" });
  });

  it("answers 415 for a content type that is not a Forgejo delivery", async () => {
    const response = await post(deliveryRequest({ event: "issues", id: "d-type", body: await labelUpdated(), contentType: "text/plain" }));
    expect(response.status).toBe(415);
    expect(await response.json()).toEqual({ error: "unsupported_media_type", message: "content type `text/plain` is not a Forgejo delivery; set the hook's content type to application/json" });
  });

  it("echoes no more than a short piece of a content type it refuses (answered before the signature is checked)", async () => {
    const response = await post(deliveryRequest({ event: "issues", id: "d-type", body: "{}", contentType: `text/${"x".repeat(10_000)}\u0007` }));
    expect(response.status).toBe(415);
    const { message } = (await response.json()) as { message: string };
    expect(message).toMatch(/^content type `text\/x+…` is not a Forgejo delivery; /);
    expect(message.length).toBeLessThan(400);
  });

  it("accepts Forgejo's form delivery, whose signature covers the JSON in `payload=`", async () => {
    const json = await labelUpdated();
    const init = deliveryRequest({ event: "issues", type: "issue_label", id: "d-form", body: json, contentType: "application/x-www-form-urlencoded" });
    const response = await post({ ...init, body: new URLSearchParams({ payload: json }).toString() });
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ status: "accepted" });
  });

  it("answers 400 for signed bytes that are not JSON, and for a missing delivery id", async () => {
    expect((await post(deliveryRequest({ event: "issues", id: "d-json", body: "{not json" }))).status).toBe(400);
    const response = await post(deliveryRequest({ event: "issues", id: "x", body: await labelUpdated(), headers: { "x-forgejo-delivery": null, "x-gitea-delivery": null } }));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "bad_delivery_id" });
  });

  it("acknowledges other events, repositories, senders and label removals with 202 and a reason, and does nothing", async () => {
    const cases: Array<[string, string, string, RegExp]> = [
      ["release", "release", await payload("real/forgejo-codeberg-HookRelease.json"), /event `release` is not a trigger/],
      ["create", "create", await payload("real/forgejo-codeberg-HookTag.json"), /event `create` is not a trigger/],
      ["issues", "issue_label", await payload("synthesized/issues__label_updated.json", (p) => (p.repository.full_name = "someone/else")), /repository `someone\/else` is not allowed/],
      ["issues", "issue_label", await payload("synthesized/issues__label_updated.json", (p) => (p.sender.login = "mallory")), /`mallory` is not an operator/],
      ["issues", "issue_label", await payload("synthesized/issues__label_cleared.json"), /label action `label_cleared` does not ask for a gate check/],
      ["issues", "issue_label", await payload("synthesized/issues__label_updated.json", (p) => (p.issue.labels = [{ name: "bug" }])), /the gate label `gate\/review` is not on it/],
      ["pull_request", "pull_request_label", await payload("real/forgejo-codeberg-HookPullRequestLabelsCleared.json"), /repository `test_it\/test_ci_thing` is not allowed/],
      ["issue_comment", "issue_comment", await payload("synthesized/issue_comment__created.json"), /does not contain a `\/patchwarden check` line/],
    ];
    let n = 0;
    const requestsBefore = fake.requests.length;
    for (const [event, type, body, reason] of cases) {
      const response = await post(deliveryRequest({ event, type, id: `d-ignored-${n++}`, body }));
      expect(response.status, `${event}/${type}`).toBe(202);
      const answer = (await response.json()) as { status: string; reason: string };
      expect(answer.status).toBe("ignored");
      expect(answer.reason).toMatch(reason);
    }
    await server.worker.idle();
    expect(await server.proposals.list()).toEqual([]);
    expect(fake.requests.slice(requestsBefore)).toEqual([]);
  });

  it("refuses deliveries when no secret can be had (503), never falling back to a default", async () => {
    const { createApp } = await import("../../src/server/app.js");
    const { silentLogger } = await import("../../src/observability/logger.js");
    const { GateMetrics } = await import("../../src/observability/metrics.js");
    const app = createApp({ intake: undefined as never, secret: null, secretProblem: "no webhook secret: set PATCHWARDEN_WEBHOOK_SECRET", maxBodyBytes: 1024, log: silentLogger, metrics: new GateMetrics({ defaultMetrics: false }), health: { version: "t", backlog: () => 0, policyDigest: () => "x" }, listenHost: "127.0.0.1", publicOrigin: undefined });
    const response = await app.request("/webhooks/forgejo", deliveryRequest({ event: "issues", id: "d-nosecret", body: "{}" }));
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: "no_webhook_secret", message: expect.stringMatching(/PATCHWARDEN_WEBHOOK_SECRET/) });
    const health = await app.request("/healthz");
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: "degraded", accepting_deliveries: false, problem: "no webhook secret: set PATCHWARDEN_WEBHOOK_SECRET" });
  });

  it("serves /healthz", async () => {
    const response = await server.app.request("/healthz");
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", accepting_deliveries: true, backlog: 0, policy: expect.stringMatching(/^sha256:/) });
  });
});

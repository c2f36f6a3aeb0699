import { describe, expect, it } from "vitest";
import { GateMetrics } from "../../src/observability/metrics.js";
import type { Intake } from "../../src/server/intake.js";
import { deliveryRequest, SECRET } from "../helpers/server-harness.js";
import { httpSurface } from "../helpers/http-surface.js";
import { recordingLog } from "../helpers/recording-log.js";

/** The HTTP surface alone: every delivery here is refused before the intake would be asked. */
function app(secret: string | null) {
  const metrics = new GateMetrics({ defaultMetrics: false });
  const { log, lines } = recordingLog();
  const intake = { refusing: null, receive: () => Promise.reject(new Error("the intake is not asked in these tests")) } as unknown as Intake;
  const { post } = httpSurface({ intake, secret, secretProblem: secret === null ? "no webhook secret: set PATCHWARDEN_WEBHOOK_SECRET" : "", maxBodyBytes: 1024, log, metrics });
  const count = async (labels: string) => {
    const text = await metrics.registry.metrics();
    const line = text.split("\n").find((l) => l.startsWith(`patchwarden_deliveries_total{${labels}}`));
    return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(" ") + 1));
  };
  const outcomes = () => lines.filter((l) => l.event === "delivery").map((l) => [l.fields["delivery"], l.fields["outcome"], l.fields["status"]]);
  return { post, count, outcomes };
}

describe("deliveries refused before the intake are counted and logged by what refused them", () => {
  it("a body over the limit, an unsupported content type, unparseable JSON and a form without `payload` each have their own outcome", async () => {
    const { post, count, outcomes } = app(SECRET);
    const big = await post(deliveryRequest({ event: "issues", id: "too-big", body: JSON.stringify({ filler: "x".repeat(2000) }) }));
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: "payload_too_large", message: expect.stringContaining("1024 bytes") });
    expect((await post(deliveryRequest({ event: "issues", id: "plain-text", body: "{}", contentType: "text/plain" }))).status).toBe(415);
    expect((await post(deliveryRequest({ event: "issues", id: "not-json", body: "{not json" }))).status).toBe(400);
    const form = await post(deliveryRequest({ event: "issues", id: "form-no-payload", body: "other=1", contentType: "application/x-www-form-urlencoded" }));
    expect(form.status).toBe(400);
    expect(await form.json()).toMatchObject({ error: "missing_payload" });

    expect(await count('event="issues",outcome="too_large"')).toBe(1);
    expect(await count('event="issues",outcome="unsupported_media_type"')).toBe(1);
    expect(await count('event="issues",outcome="malformed"')).toBe(2);
    expect(outcomes()).toEqual([
      ["too-big", "too_large", 413],
      ["plain-text", "unsupported_media_type", 415],
      ["not-json", "malformed", 400],
      ["form-no-payload", "malformed", 400],
    ]);
  });

  it("a delivery refused for want of a secret is counted as no_secret", async () => {
    const { post, count, outcomes } = app(null);
    expect((await post(deliveryRequest({ event: "push", id: "no-secret", body: "{}" }))).status).toBe(503);
    expect(await count('event="push",outcome="no_secret"')).toBe(1);
    expect(outcomes()).toEqual([["no-secret", "no_secret", 503]]);
  });

  it("without a secret, a body over the limit is refused for the missing secret, the operator's problem, not for its size", async () => {
    const { post, count } = app(null);
    const response = await post(deliveryRequest({ event: "push", id: "no-secret-big", body: JSON.stringify({ filler: "x".repeat(2000) }) }));
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: "no_webhook_secret", message: expect.stringContaining("PATCHWARDEN_WEBHOOK_SECRET") });
    expect(await count('event="push",outcome="no_secret"')).toBe(1);
  });

  it("labels each event Forgejo sends by its own name, and any other as `other`", async () => {
    const { post, count } = app(SECRET);
    const events = ["issues", "issue_comment", "pull_request", "pull_request_comment", "push", "create", "delete", "release", "repository", "fork", "wiki", "package", "action_run"];
    for (const event of events) await post(deliveryRequest({ event, id: `ev-${event}`, body: "{}", secret: "not-the-secret-not-the-secret-00" }));
    await post(deliveryRequest({ event: "status", id: "ev-status", body: "{}", secret: "not-the-secret-not-the-secret-00" }));
    for (const event of events) expect(await count(`event="${event}",outcome="unauthorized"`), event).toBe(1);
    expect(await count('event="other",outcome="unauthorized"')).toBe(1);
  });

  it("reads the event and the delivery id from the Gitea headers when Forgejo's own are absent", async () => {
    const { post, count, outcomes } = app(SECRET);
    await post(deliveryRequest({ event: "pull_request", id: "gitea-only", body: "{}", secret: "not-the-secret-not-the-secret-00", headers: { "x-forgejo-event": null, "x-forgejo-delivery": null } }));
    expect(await count('event="pull_request",outcome="unauthorized"')).toBe(1);
    expect(outcomes()).toEqual([["gitea-only", "unauthorized", 401]]);
  });

  it("prefers Forgejo's own event and delivery headers when the Gitea twins disagree with them", async () => {
    const { post, count, outcomes } = app(SECRET);
    await post(deliveryRequest({ event: "issues", id: "forgejo-id", body: "{}", secret: "not-the-secret-not-the-secret-00", headers: { "x-gitea-event": "push", "x-gitea-delivery": "gitea-id" } }));
    expect(await count('event="issues",outcome="unauthorized"')).toBe(1);
    expect(await count('event="push",outcome="unauthorized"')).toBe(0);
    expect(outcomes()).toEqual([["forgejo-id", "unauthorized", 401]]);
  });
});

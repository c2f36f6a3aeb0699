import { describe, expect, it } from "vitest";
import { createApp } from "../../src/server/app.js";
import { GateMetrics } from "../../src/observability/metrics.js";
import { silentLogger } from "../../src/observability/logger.js";
import type { Intake } from "../../src/server/intake.js";
import { deliveryRequest, SECRET } from "../helpers/server-harness.js";

/** The HTTP surface with an intake that records what reaches it. */
function app() {
  const received: Array<string | undefined> = [];
  const intake = {
    refusing: null,
    receive: async (headers: { delivery: string }) => (received.push(headers.delivery), { status: "ignored", reason: "not a trigger" }),
  } as unknown as Intake;
  const served = createApp({ intake, secret: SECRET, secretProblem: "", maxBodyBytes: 4096, log: silentLogger, metrics: new GateMetrics({ defaultMetrics: false }), health: { version: "t", backlog: () => 0, policyDigest: () => "sha256:x" }, listenHost: "127.0.0.1", publicOrigin: undefined });
  return { post: (init: RequestInit) => served.request("/webhooks/forgejo", init), received };
}

describe("a correctly signed delivery with unusable delivery headers", () => {
  it("is refused (400) when its delivery id is not a delivery id, and never reaches the intake", async () => {
    const { post, received } = app();
    for (const id of ["../../inbox/x", "a b", ".hidden", "x".repeat(101)]) {
      const response = await post(deliveryRequest({ event: "issues", id, body: "{}" }));
      expect(response.status, id).toBe(400);
      expect(await response.json()).toMatchObject({ error: "bad_delivery_id" });
    }
    const ok = await post(deliveryRequest({ event: "issues", id: "x".repeat(100), body: "{}" }));
    expect(ok.status).toBe(202);
    expect(received).toEqual(["x".repeat(100)]);
  });

  it("is refused (400) without an event header, and never reaches the intake", async () => {
    const { post, received } = app();
    const response = await post(deliveryRequest({ event: "issues", id: "no-event", body: "{}", headers: { "x-forgejo-event": null, "x-gitea-event": null } }));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "missing_event", message: "X-Forgejo-Event is missing" });
    expect(received).toEqual([]);
  });
});

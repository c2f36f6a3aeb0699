import { describe, expect, it } from "vitest";
import { httpSurface as app } from "../helpers/http-surface.js";
import { deliveryRequest } from "../helpers/server-harness.js";

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

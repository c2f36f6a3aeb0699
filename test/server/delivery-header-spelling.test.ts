import { describe, expect, it } from "vitest";
import { signWebhookPayload, verifiedHmac } from "../../src/forgejo/webhook-signature.js";
import { httpSurface as app } from "../helpers/http-surface.js";
import { deliveryRequest, SECRET } from "../helpers/server-harness.js";

describe("the content type of a delivery is read as HTTP spells it", () => {
  it("accepts application/json in any letter case and with spaces before its parameters", async () => {
    const { post, received } = app();
    for (const [id, contentType] of [["upper", "Application/JSON; charset=UTF-8"], ["spaced", "application/json ; charset=utf-8"], ["padded", " application/json"]] as const) {
      const response = await post(deliveryRequest({ event: "release", id, body: "{}", contentType }));
      expect(response.status, contentType).toBe(202);
      expect(await response.json()).toMatchObject({ delivery: id, status: "ignored" });
    }
    expect(received).toEqual(["upper", "spaced", "padded"]);
  });
});

describe("a signature is taken only in the spelling Forgejo sends", () => {
  const body = Buffer.from('{"action":"label_updated"}');
  const good = signWebhookPayload(SECRET, body);

  it("refuses the right digest behind an upper-case `SHA256=` prefix", () => {
    expect(verifiedHmac(SECRET, body, `sha256=${good}`)).toBe(good);
    expect(verifiedHmac(SECRET, body, `SHA256=${good}`)).toBeNull();
    expect(verifiedHmac(SECRET, body, `Sha256=${good}`)).toBeNull();
  });

  it("answers 401 to a delivery whose only signature has that prefix", async () => {
    const { post, received } = app();
    const response = await post(deliveryRequest({ event: "release", id: "upper-prefix", body, headers: { "x-forgejo-signature": null, "x-gitea-signature": null, "x-hub-signature-256": `SHA256=${good}` } }));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "bad_signature" });
    expect(received).toEqual([]);
  });
});

describe("a delivery without a body", () => {
  it("is refused as not JSON, not as too large", async () => {
    const { post, received } = app();
    const signature = signWebhookPayload(SECRET, "");
    const response = await post({ method: "POST", headers: { "content-type": "application/json", "x-forgejo-event": "release", "x-forgejo-delivery": "empty", "x-forgejo-signature": signature } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "malformed_json" });
    expect(received).toEqual([]);
  });
});

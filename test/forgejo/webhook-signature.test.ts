import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readDeliveryHeaders } from "../../src/forgejo/webhook-headers.js";
import { signWebhookPayload, verifyWebhookSignature } from "../../src/forgejo/webhook-signature.js";
import { fixture } from "../helpers/paths.js";

const SYNTHESIZED = ["issues__label_updated", "issues__label_cleared", "issue_comment__created", "pull_request_comment__created"];

describe("webhook signatures", () => {
  for (const name of SYNTHESIZED) {
    it(`verifies ${name} exactly as Forgejo signed it (raw bytes, all three headers)`, () => {
      const body = readFileSync(fixture(`forgejo/payloads/synthesized/${name}.json`));
      const headers = JSON.parse(readFileSync(fixture(`forgejo/payloads/synthesized/${name}.headers.json`), "utf8")) as Record<string, string>;
      const secret = headers["_secret_used_for_signatures"]!;
      for (const header of ["X-Forgejo-Signature", "X-Gitea-Signature", "X-Hub-Signature-256"]) {
        expect(verifyWebhookSignature(secret, body, headers[header]), header).toBe(true);
      }
      const read = readDeliveryHeaders((n) => Object.entries(headers).find(([k]) => k.toLowerCase() === n)?.[1]);
      expect(read.delivery).toBe(headers["X-Forgejo-Delivery"]);
      expect(read.event).toBe(headers["X-Forgejo-Event"]);
      expect(read.eventType).toBe(headers["X-Forgejo-Event-Type"]);
    });
  }

  it("refuses a re-serialised body, another secret, a wrong length, and non-hex", () => {
    const body = readFileSync(fixture("forgejo/payloads/synthesized/issues__label_updated.json"));
    const headers = JSON.parse(readFileSync(fixture("forgejo/payloads/synthesized/issues__label_updated.headers.json"), "utf8")) as Record<string, string>;
    const signature = headers["X-Forgejo-Signature"]!;
    // The same JSON in other bytes (compact, as a proxy or framework might re-emit it) does not verify.
    expect(verifyWebhookSignature("test-secret", Buffer.from(JSON.stringify(JSON.parse(body.toString()))), signature)).toBe(false);
    expect(verifyWebhookSignature("another-secret", body, signature)).toBe(false);
    expect(verifyWebhookSignature("test-secret", body, signature.slice(0, 62))).toBe(false);
    expect(verifyWebhookSignature("test-secret", body, `${signature}00`)).toBe(false);
    expect(verifyWebhookSignature("test-secret", body, "z".repeat(64))).toBe(false);
    expect(verifyWebhookSignature("test-secret", body, "")).toBe(false);
    expect(verifyWebhookSignature("test-secret", body, undefined)).toBe(false);
    expect(verifyWebhookSignature("s".repeat(32), Buffer.from("{}"), signWebhookPayload("s".repeat(32), "{}"))).toBe(true);
  });

  it("treats an empty signature header (a hook with no secret) as no signature", () => {
    const read = readDeliveryHeaders((name) => ({ "x-forgejo-signature": "", "x-gitea-signature": "", "x-hub-signature-256": "" })[name]);
    expect(read.signature).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { signWebhookPayload, verifiedHmac, verifyWebhookSignature } from "../../src/forgejo/webhook-signature.js";

// The signature must be 64 lowercase hex digits: Buffer.from(hex, "hex") stops at the first
// non-hex character, so without the format check a right digest followed by junk would verify.
describe("webhook signature: only Forgejo's exact format verifies", () => {
  const secret = "test-secret-for-patchwarden-0001";
  const body = Buffer.from('{"action":"label_updated"}');
  const good = signWebhookPayload(secret, body);

  it("baseline: the lowercase hex digest, bare or prefixed, verifies", () => {
    expect(verifyWebhookSignature(secret, body, good)).toBe(true);
    expect(verifyWebhookSignature(secret, body, `sha256=${good}`)).toBe(true);
  });

  it("refuses the right digest with trailing junk", () => {
    expect(verifyWebhookSignature(secret, body, `${good}zz`)).toBe(false);
    expect(verifyWebhookSignature(secret, body, `${good}x`)).toBe(false);
    expect(verifiedHmac(secret, body, `sha256=${good}-junk`)).toBeNull();
  });

  it("refuses the digest in upper case (Forgejo sends lowercase hex)", () => {
    expect(verifyWebhookSignature(secret, body, good.toUpperCase())).toBe(false);
  });
});

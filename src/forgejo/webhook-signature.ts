import { createHmac, timingSafeEqual } from "node:crypto";

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/**
 * Forgejo signs the raw request body (for form deliveries: the JSON in `payload=`) with
 * HMAC-SHA256 and sends the lowercase hex digest, bare in X-Forgejo-Signature / X-Gitea-Signature
 * and prefixed `sha256=` in X-Hub-Signature-256. As in @octokit/webhooks-methods: check the
 * format and length first, compare in constant time, and never parse anything before this passes.
 */
export function verifyWebhookSignature(secret: string, payload: Uint8Array, signature: string | undefined): boolean {
  return verifiedHmac(secret, payload, signature) !== null;
}

/**
 * The payload's HMAC-SHA256 as lowercase hex when the signature is right, else null. It is the
 * signature itself once checked, so the intake can key on the payload's content at no extra hash.
 */
export function verifiedHmac(secret: string, payload: Uint8Array, signature: string | undefined): string | null {
  if (signature === undefined) return null;
  const hex = signature.startsWith("sha256=") ? signature.slice("sha256=".length) : signature;
  if (!HEX_SHA256.test(hex)) return null;
  const expected = createHmac("sha256", secret).update(payload).digest();
  const given = Buffer.from(hex, "hex");
  // A fresh string from the digest, not a slice of the header: the intake keeps it for as long as
  // the process runs, and a slice would keep its whole header string alive with it.
  return given.length === expected.length && timingSafeEqual(given, expected) ? expected.toString("hex") : null;
}

export function signWebhookPayload(secret: string, payload: Uint8Array | string): string {
  return createHmac("sha256", secret).update(payload).digest("hex");
}

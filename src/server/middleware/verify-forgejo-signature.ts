import type { MiddlewareHandler } from "hono";
import { quote } from "../../diagnostics/diagnostic.js";
import type { DeliveryOutcome } from "../../observability/metrics.js";
import { verifiedHmac } from "../../forgejo/webhook-signature.js";
import { readDeliveryHeaders, type DeliveryHeaders } from "../../forgejo/webhook-headers.js";

export interface SignedDelivery {
  /** The bytes Forgejo signed: the body, or for a form delivery the JSON in `payload=`. */
  payload: Uint8Array;
  headers: DeliveryHeaders;
  /** The payload's HMAC-SHA256 (lowercase hex) that the signature check verified: the intake dedupes on it. */
  hmac: string;
}

export type WebhookEnv = {
  Variables: {
    delivery: SignedDelivery;
    rawBody: Uint8Array;
    /** Set by the handler when it knows how the delivery ended (for metrics and the log line). */
    outcome: DeliveryOutcome;
    outcomeReason: string;
  };
};

/**
 * Finds the JSON Forgejo signed in the raw body (see limitBody) and checks the HMAC in constant
 * time before anything is parsed as JSON. No secret configured → the hook accepts nothing.
 */
export function verifyForgejoSignature(secret: () => string): MiddlewareHandler<WebhookEnv> {
  return async (c, next) => {
    const key = secret();
    const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "application/json" && type !== "application/x-www-form-urlencoded") {
      return c.json({ error: "unsupported_media_type", message: `content type ${type === "" ? "`(none)`" : quote(type)} is not a Forgejo delivery; set the hook's content type to application/json` }, 415);
    }
    const body = c.get("rawBody");
    let payload = body;
    if (type === "application/x-www-form-urlencoded") {
      const field = new URLSearchParams(Buffer.from(body).toString("utf8")).get("payload");
      if (field === null) return c.json({ error: "missing_payload", message: "a form delivery must carry the JSON in a `payload` field" }, 400);
      payload = Buffer.from(field, "utf8");
    }
    const headers = readDeliveryHeaders((name) => c.req.header(name));
    if (headers.signature === undefined) {
      return c.json({ error: "missing_signature", message: "the delivery is not signed; set the same secret on the Forgejo webhook as Patchwarden uses" }, 401);
    }
    const hmac = verifiedHmac(key, payload, headers.signature);
    if (hmac === null) {
      return c.json({ error: "bad_signature", message: "the signature does not match; the hook's secret differs from Patchwarden's, or the body was changed" }, 401);
    }
    c.set("delivery", { payload, headers, hmac });
    await next();
    return undefined;
  };
}

/** Without a webhook secret the hook accepts nothing (503), never falling back to a known default. */
export function requireSecret(secret: () => string | null, noSecretReason: string): MiddlewareHandler<WebhookEnv> {
  return async (c, next) => {
    if (secret() === null) return c.json({ error: "no_webhook_secret", message: noSecretReason }, 503);
    await next();
    return undefined;
  };
}

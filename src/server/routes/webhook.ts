import type { Handler } from "hono";
import { isSafeDeliveryId } from "../../forgejo/webhook-headers.js";
import type { Intake } from "../intake.js";
import type { WebhookEnv } from "../middleware/verify-forgejo-signature.js";

/** After the signature passed: parse, check the delivery headers, hand to intake, answer 202. */
export function forgejoWebhook(intake: Intake): Handler<WebhookEnv> {
  return async (c) => {
    const { payload, headers, hmac } = c.get("delivery");
    let parsed: unknown;
    try {
      // A view on the signed bytes, not a copy of them.
      parsed = JSON.parse(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString("utf8"));
    } catch {
      return c.json({ error: "malformed_json", message: "the signed payload is not JSON" }, 400);
    }
    if (headers.delivery === undefined || !isSafeDeliveryId(headers.delivery)) {
      return c.json({ error: "bad_delivery_id", message: "X-Forgejo-Delivery is missing or not a delivery id (letters, digits, `-`, `.`, `_`; at most 100)" }, 400);
    }
    if (headers.event === undefined) {
      return c.json({ error: "missing_event", message: "X-Forgejo-Event is missing" }, 400);
    }
    const outcome = await intake.receive({ ...headers, delivery: headers.delivery }, parsed, hmac);
    c.set("outcome", outcome.status);
    if (outcome.status === "ignored") c.set("outcomeReason", outcome.reason);
    return c.json({ delivery: headers.delivery, ...outcome }, 202);
  };
}

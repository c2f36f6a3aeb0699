import type { Handler } from "hono";
import { isSafeDeliveryId } from "../../forgejo/webhook-headers.js";
import type { Intake } from "../intake.js";
import type { WebhookEnv } from "../middleware/verify-forgejo-signature.js";

export interface WebhookObserver {
  delivery(event: string, outcome: string): void;
}

/** After the signature passed: parse, check the delivery headers, hand to intake, answer 202. */
export function forgejoWebhook(intake: Intake, observe?: WebhookObserver): Handler<WebhookEnv> {
  return async (c) => {
    const { payload, headers } = c.get("delivery");
    const event = headers.event ?? "(none)";
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(payload).toString("utf8"));
    } catch {
      observe?.delivery(event, "malformed");
      return c.json({ error: "malformed_json", message: "the signed payload is not JSON" }, 400);
    }
    if (headers.delivery === undefined || !isSafeDeliveryId(headers.delivery)) {
      observe?.delivery(event, "malformed");
      return c.json({ error: "bad_delivery_id", message: "X-Forgejo-Delivery is missing or not a delivery id (letters, digits, `-`, `.`, `_`; at most 100)" }, 400);
    }
    if (headers.event === undefined) {
      observe?.delivery(event, "malformed");
      return c.json({ error: "missing_event", message: "X-Forgejo-Event is missing" }, 400);
    }
    const outcome = await intake.receive({ ...headers, delivery: headers.delivery }, parsed);
    observe?.delivery(event, outcome.status);
    return c.json({ delivery: headers.delivery, ...outcome }, 202);
  };
}

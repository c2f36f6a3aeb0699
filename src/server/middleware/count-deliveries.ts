import type { MiddlewareHandler } from "hono";
import type { Logger } from "../../observability/logger.js";
import type { DeliveryOutcome, GateMetrics } from "../../observability/metrics.js";
import { isSafeDeliveryId } from "../../forgejo/webhook-headers.js";
import type { WebhookEnv } from "./verify-forgejo-signature.js";

// Label values must be bounded: the event header is read before the signature is checked.
const KNOWN_EVENTS = new Set(["issues", "issue_comment", "pull_request", "pull_request_comment", "push", "create", "delete", "release", "repository", "fork", "wiki", "package", "action_run"]);

/** Said in place of a delivery header that is not a delivery id. */
export const NOT_A_DELIVERY_ID = "(not a delivery id)";

const BY_STATUS: Record<number, DeliveryOutcome> = { 400: "malformed", 401: "unauthorized", 413: "too_large", 415: "unsupported_media_type", 503: "no_secret" };

/**
 * Counts and logs every delivery, whatever answered it: one log line per delivery with its id and
 * outcome, and the counters behind /metrics. Handlers say the outcome when they know it.
 */
export function countDeliveries(metrics: GateMetrics, log: Logger): MiddlewareHandler<WebhookEnv> {
  return async (c, next) => {
    await next();
    const raw = c.req.header("x-forgejo-event") ?? c.req.header("x-gitea-event") ?? "";
    const event = KNOWN_EVENTS.has(raw) ? raw : "other";
    const outcome = c.get("outcome") ?? BY_STATUS[c.res.status] ?? (c.res.status >= 500 ? "error" : "malformed");
    metrics.deliveries.inc({ event, outcome });
    if (outcome === "unauthorized") metrics.signatureFailures.inc();
    if (outcome === "duplicate") metrics.dedupHits.inc();
    const reason = c.get("outcomeReason");
    log.info("delivery", { ...deliveryField(c.req.header("x-forgejo-delivery") ?? c.req.header("x-gitea-delivery")), webhook_event: event, outcome, status: c.res.status, ...(reason !== undefined ? { reason } : {}) });
  };
}

/**
 * The delivery id as logged. The header is read before the signature is checked, so anyone who can
 * reach the port chooses it: only a real delivery id is written, never other bytes of theirs.
 */
function deliveryField(header: string | undefined): { delivery?: string } {
  if (header === undefined) return {};
  return { delivery: isSafeDeliveryId(header) ? header : NOT_A_DELIVERY_ID };
}

import type { MiddlewareHandler } from "hono";
import type { Logger } from "../../observability/logger.js";
import type { DeliveryOutcome, GateMetrics } from "../../observability/metrics.js";
import type { WebhookEnv } from "./verify-forgejo-signature.js";

// Label values must be bounded: the event header is read before the signature is checked.
const KNOWN_EVENTS = new Set(["issues", "issue_comment", "pull_request", "pull_request_comment", "push", "create", "delete", "release", "repository", "fork", "wiki", "package", "action_run"]);

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
    const delivery = c.req.header("x-forgejo-delivery") ?? c.req.header("x-gitea-delivery");
    const reason = c.get("outcomeReason");
    log.info("delivery", { delivery: delivery && delivery.length <= 100 ? delivery : undefined, webhook_event: event, outcome, status: c.res.status, ...(reason !== undefined ? { reason } : {}) });
  };
}

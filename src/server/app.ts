import { Hono } from "hono";
import { limitBody } from "./middleware/limit-body.js";
import type { Logger } from "../observability/logger.js";
import type { Intake } from "./intake.js";
import { requireSecret, verifyForgejoSignature, type WebhookEnv } from "./middleware/verify-forgejo-signature.js";
import { health, type HealthFacts } from "./routes/health.js";
import type { GateMetrics } from "../observability/metrics.js";
import { countDeliveries } from "./middleware/count-deliveries.js";
import { forgejoWebhook } from "./routes/webhook.js";

export interface AppDeps {
  intake: Intake;
  secret: string | null;
  /** Why there is no secret, when there is none. */
  secretProblem: string;
  maxBodyBytes: number;
  log: Logger;
  health: Omit<HealthFacts, "acceptingDeliveries">;
  metrics: GateMetrics;
  /** Extra routes (the review page, metrics) mounted by their own modules. */
  extend?: (app: Hono<WebhookEnv>) => void;
}

/** The HTTP surface, testable in-process with `app.request()`. One onError for everything. */
export function createApp(deps: AppDeps): Hono<WebhookEnv> {
  const app = new Hono<WebhookEnv>();
  app.get("/healthz", health({ ...deps.health, acceptingDeliveries: deps.secret !== null }));
  app.get("/metrics", async (c) => c.body(await deps.metrics.registry.metrics(), 200, { "content-type": deps.metrics.registry.contentType }));
  app.post(
    "/webhooks/forgejo",
    countDeliveries(deps.metrics, deps.log),
    // The secret check comes first so that without a secret nothing is even read.
    requireSecret(() => deps.secret, deps.secretProblem),
    limitBody(deps.maxBodyBytes, (c) => c.json({ error: "payload_too_large", message: `deliveries are limited to ${deps.maxBodyBytes} bytes (PATCHWARDEN_MAX_BODY_BYTES)` }, 413)),
    verifyForgejoSignature(() => deps.secret!),
    forgejoWebhook(deps.intake),
  );
  deps.extend?.(app);
  app.notFound((c) => c.json({ error: "not_found", message: `no route ${c.req.method} ${new URL(c.req.url).pathname}` }, 404));
  app.onError((error, c) => {
    deps.log.error("http.error", { method: c.req.method, path: new URL(c.req.url).pathname, error: error.message });
    c.set("outcome", "error");
    return c.json({ error: "internal", message: "the delivery could not be stored; Forgejo will show it as failed and it can be redelivered" }, 500);
  });
  return app;
}

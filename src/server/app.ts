import { Hono } from "hono";
import { limitBody } from "./middleware/limit-body.js";
import type { Logger } from "../observability/logger.js";
import type { Intake } from "./intake.js";
import { requireSecret, verifyForgejoSignature, type WebhookEnv } from "./middleware/verify-forgejo-signature.js";
import { health, type HealthFacts } from "./routes/health.js";
import type { GateMetrics } from "../observability/metrics.js";
import { countDeliveries } from "./middleware/count-deliveries.js";
import { requireExpectedHost } from "./middleware/require-expected-host.js";
import { forgejoWebhook } from "./routes/webhook.js";

const WEBHOOK_PATH = "/webhooks/forgejo";

export interface AppDeps {
  intake: Intake;
  secret: string | null;
  /** Why there is no secret, when there is none. */
  secretProblem: string;
  maxBodyBytes: number;
  log: Logger;
  health: Omit<HealthFacts, "deliveryProblem">;
  metrics: GateMetrics;
  /** The host the server listens on, and PATCHWARDEN_REVIEW_ORIGIN: the addresses /healthz and /metrics answer at besides loopback. */
  listenHost: string;
  publicOrigin: URL | undefined;
  /** Extra routes (the review page, metrics) mounted by their own modules. */
  extend?: (app: Hono<WebhookEnv>) => void;
}

/** The HTTP surface, testable in-process with `app.request()`. One onError for everything. */
export function createApp(deps: AppDeps): Hono<WebhookEnv> {
  const app = new Hono<WebhookEnv>();
  const expectedHost = requireExpectedHost(deps.listenHost, deps.publicOrigin);
  // The secret first: without one, the intake is never asked (it may not exist).
  const deliveryProblem = () => (deps.secret === null ? deps.secretProblem : (deps.intake.refusing?.message ?? null));
  app.get("/healthz", expectedHost, health({ ...deps.health, deliveryProblem }));
  app.get("/metrics", expectedHost, async (c) => c.body(await deps.metrics.registry.metrics(), 200, { "content-type": deps.metrics.registry.contentType }));
  app.post(
    WEBHOOK_PATH,
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
    const path = new URL(c.req.url).pathname;
    deps.log.error("http.error", { method: c.req.method, path, error: error.message });
    c.set("outcome", "error");
    // Only Forgejo reads the webhook's answer; a scrape or a health check must not be told about a delivery.
    const message = path === WEBHOOK_PATH ? "the delivery could not be stored; Forgejo will show it as failed and it can be redelivered" : `${path} could not be answered; see the server log (\`http.error\`)`;
    return c.json({ error: "internal", message }, 500);
  });
  return app;
}

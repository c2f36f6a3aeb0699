import type { Handler } from "hono";

export interface HealthFacts {
  version: string;
  acceptingDeliveries: boolean;
  backlog: () => number;
  policyDigest: () => string;
}

export function health(facts: HealthFacts): Handler {
  return (c) =>
    c.json({
      status: facts.acceptingDeliveries ? "ok" : "degraded",
      version: facts.version,
      accepting_deliveries: facts.acceptingDeliveries,
      backlog: facts.backlog(),
      policy: facts.policyDigest(),
    });
}

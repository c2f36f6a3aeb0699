import type { Handler } from "hono";

export interface HealthFacts {
  version: string;
  /** Why deliveries are refused now (no webhook secret, an inbox that refuses appends), or null while they are accepted. */
  deliveryProblem: () => string | null;
  backlog: () => number;
  policyDigest: () => string;
}

/** 200 `ok` while deliveries are accepted; 503 `degraded`, with the problem, while they are refused. */
export function health(facts: HealthFacts): Handler {
  return (c) => {
    const problem = facts.deliveryProblem();
    return c.json(
      {
        status: problem === null ? "ok" : "degraded",
        version: facts.version,
        accepting_deliveries: problem === null,
        ...(problem === null ? {} : { problem }),
        backlog: facts.backlog(),
        policy: facts.policyDigest(),
      },
      problem === null ? 200 : 503,
    );
  };
}

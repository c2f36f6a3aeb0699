import { GateMetrics } from "../../src/observability/metrics.js";
import { silentLogger } from "../../src/observability/logger.js";
import { createApp, type AppDeps } from "../../src/server/app.js";
import type { Intake } from "../../src/server/intake.js";
import { SECRET } from "./server-harness.js";

/**
 * The HTTP surface alone (`createApp`), with an intake that acknowledges every delivery reaching it
 * and records its id: for tests of what is refused or answered before the intake is asked.
 * Any dependency can be replaced.
 */
export function httpSurface(deps: Partial<AppDeps> = {}) {
  const received: string[] = [];
  const intake = {
    refusing: null,
    receive: async (headers: { delivery: string }) => (received.push(headers.delivery), { status: "ignored", reason: "not a trigger" }),
  } as unknown as Intake;
  const app = createApp({
    intake,
    secret: SECRET,
    secretProblem: "",
    maxBodyBytes: 4096,
    log: silentLogger,
    metrics: new GateMetrics({ defaultMetrics: false }),
    health: { version: "t", backlog: () => 0, policyDigest: () => "sha256:x" },
    listenHost: "127.0.0.1",
    publicOrigin: undefined,
    ...deps,
  });
  return { app, received, post: (init: RequestInit) => app.request("/webhooks/forgejo", init) };
}

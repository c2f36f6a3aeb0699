import { describe, expect, it } from "vitest";
import { createApp } from "../../src/server/app.js";
import { GateMetrics } from "../../src/observability/metrics.js";
import { silentLogger } from "../../src/observability/logger.js";
import type { Intake } from "../../src/server/intake.js";
import { SECRET } from "../helpers/server-harness.js";

const app = createApp({
  intake: { refusing: null } as unknown as Intake,
  secret: SECRET,
  secretProblem: "",
  maxBodyBytes: 4096,
  log: silentLogger,
  metrics: new GateMetrics({ defaultMetrics: false }),
  health: { version: "t", backlog: () => 0, policyDigest: () => "sha256:x" },
  listenHost: "127.0.0.1",
  publicOrigin: undefined,
});

describe("a request to /healthz or /metrics addressed to a foreign Host", () => {
  for (const path of ["/healthz", "/metrics"]) {
    it(`${path}: echoes no more than 200 characters of a long Host it refuses`, async () => {
      const host = `${"a".repeat(5000)}.rebind.example`;
      const response = await app.request(`http://127.0.0.1:8787${path}`, { headers: { host } });
      expect(response.status).toBe(421);
      const { message } = (await response.json()) as { message: string };
      expect(message).toContain(`the Host \`${"a".repeat(200)}\` is not an address of this server`);
      expect(message).not.toContain("a".repeat(201));
      expect(message.length).toBeLessThan(600);
    });
  }
});

import { describe, expect, it } from "vitest";
import { httpSurface } from "../helpers/http-surface.js";

const { app } = httpSurface();

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

import { describe, expect, it } from "vitest";
import { httpSurface } from "../helpers/http-surface.js";

describe("the 421 answer to /healthz or /metrics at a foreign Host", () => {
  it("names the listen address and PATCHWARDEN_REVIEW_ORIGIN's host it does answer at, and the path to ask at", async () => {
    const { app } = httpSurface({ listenHost: "192.0.2.10", publicOrigin: new URL("https://patchwarden.example.org:8443") });
    for (const path of ["/healthz", "/metrics"]) {
      const response = await app.request(`http://192.0.2.10:8787${path}`, { headers: { host: "rebind.attacker.example" } });
      expect(response.status).toBe(421);
      const { message } = (await response.json()) as { message: string };
      expect(message).toContain("the listen address `192.0.2.10`");
      expect(message).toContain("`patchwarden.example.org:8443` (PATCHWARDEN_REVIEW_ORIGIN)");
      expect(message).toMatch(new RegExp(`e\\.g\\. http://127\\.0\\.0\\.1:<port>${path}$`));
    }
  });

  it("names no review origin when none is configured", async () => {
    const { app } = httpSurface({ listenHost: "127.0.0.1", publicOrigin: undefined });
    const response = await app.request("http://127.0.0.1:8787/healthz", { headers: { host: "rebind.attacker.example" } });
    expect(response.status).toBe(421);
    const { message } = (await response.json()) as { message: string };
    expect(message).toContain("the listen address `127.0.0.1`");
    expect(message).not.toContain("PATCHWARDEN_REVIEW_ORIGIN");
  });
});

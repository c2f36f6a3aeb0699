import { describe, expect, it } from "vitest";
import { httpSurface } from "../helpers/http-surface.js";

describe("GET /healthz", () => {
  it("reports the running version, the current backlog and the policy digest, read when asked", async () => {
    let backlog = 3;
    const { app } = httpSurface({ health: { version: "9.8.7-test", backlog: () => backlog, policyDigest: () => "sha256:abc" } });
    const first = await app.request("http://127.0.0.1/healthz");
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ status: "ok", version: "9.8.7-test", accepting_deliveries: true, backlog: 3, policy: "sha256:abc" });
    backlog = 11;
    expect(await (await app.request("http://127.0.0.1/healthz")).json()).toMatchObject({ backlog: 11, version: "9.8.7-test" });
  });
});

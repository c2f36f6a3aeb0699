import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { DeliveryLog, type InboxFile } from "../../src/inbox/delivery-log.js";
import { silentLogger } from "../../src/observability/logger.js";
import { GateMetrics } from "../../src/observability/metrics.js";
import { createApp } from "../../src/server/app.js";
import { Intake } from "../../src/server/intake.js";
import { FakeForgejo, startMsw } from "../helpers/fake-forgejo.js";
import { deliveryRequest, payload, SECRET, startTestServer, testConfig, type TestServer } from "../helpers/server-harness.js";

const fake = new FakeForgejo();
const msw = startMsw(fake);
afterAll(() => msw.close());

let dir: string | null = null;
let server: TestServer | null = null;
afterEach(async () => {
  await server?.cleanup();
  server = null;
  if (dir !== null) await rm(dir, { recursive: true, force: true });
  dir = null;
});

describe("GET /healthz when the inbox refuses every append until a restart", () => {
  it("answers 503 degraded, not accepting deliveries, and says why", async () => {
    dir = await mkdtemp(join(tmpdir(), "pw-health-"));
    // A disk that fills up mid-append, then a cut-back that fails too: the log refuses from then on.
    const wrapFile = (file: InboxFile): InboxFile => ({
      async write(buffer, offset, length) {
        await file.write(buffer, offset, Math.min(length, 7));
        throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
      },
      async truncate() {
        throw Object.assign(new Error("EIO: i/o error, ftruncate"), { code: "EIO" });
      },
      datasync: () => file.datasync(),
      stat: () => file.stat(),
      close: () => file.close(),
    });
    const { log } = await DeliveryLog.open(dir, { wrapFile });
    const config = testConfig(dir);
    const intake = new Intake(log, { ids: new Set(), contents: new Set() }, config, () => {}, () => Date.parse("2026-11-21T05:00:00Z"));
    const app = createApp({
      intake,
      secret: SECRET,
      secretProblem: "",
      maxBodyBytes: config.maxBodyBytes,
      log: silentLogger,
      metrics: new GateMetrics({ defaultMetrics: false }),
      health: { version: "t", backlog: () => 0, policyDigest: () => "x" },
      listenHost: "127.0.0.1",
      publicOrigin: undefined,
    });
    try {
      expect((await app.request("/healthz")).status).toBe(200);
      const body = await payload("synthesized/issues__label_updated.json");
      expect((await app.request("/webhooks/forgejo", deliveryRequest({ event: "issues", type: "issue_label", id: "h-1", body }))).status).toBe(500);
      expect(log.refusing?.message).toMatch(/no delivery is accepted until patchwarden serve restarts/);
      expect((await app.request("/webhooks/forgejo", deliveryRequest({ event: "issues", type: "issue_label", id: "h-2", body }))).status).toBe(500);
      const health = await app.request("/healthz");
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({
        status: "degraded",
        accepting_deliveries: false,
        problem: expect.stringMatching(/deliveries\.jsonl`?: an append failed \(ENOSPC.*\) and its partial bytes could not be removed \(EIO.*\); no delivery is accepted until patchwarden serve restarts/),
      });
    } finally {
      await log.close().catch(() => {});
    }
  });

  it("answers 200 ok with no problem while deliveries are accepted", async () => {
    server = await startTestServer();
    const health = await server.app.request("/healthz");
    expect(health.status).toBe(200);
    const json = (await health.json()) as Record<string, unknown>;
    expect(json).toMatchObject({ status: "ok", accepting_deliveries: true });
    expect(json).not.toHaveProperty("problem");
  });
});

describe("GET /healthz and /metrics addressed to a foreign Host (DNS rebinding)", () => {
  for (const path of ["/healthz", "/metrics"]) {
    it(`${path} is refused with 421, as the review page refuses it`, async () => {
      server = await startTestServer();
      const response = await server.app.request(`http://127.0.0.1:8787${path}`, { headers: { host: "rebind.attacker.example:8787" } });
      expect(response.status).toBe(421);
      expect(await response.json()).toMatchObject({ error: "misdirected", message: expect.stringMatching(new RegExp(`^${path}: the Host \`rebind\\.attacker\\.example:8787\` is not an address of this server`)) });
      for (const host of ["127.0.0.1:8787", "localhost:8787", "[::1]:8787", "localhost"]) {
        expect((await server.app.request(`http://127.0.0.1:8787${path}`, { headers: { host } })).status, host).toBe(200);
      }
      // A malformed Host is no address of this server either.
      expect((await server.app.request(`http://127.0.0.1:8787${path}`, { headers: { host: "a b" } })).status).toBe(421);
    });
  }

  it("answers at the listen address and PATCHWARDEN_REVIEW_ORIGIN's host (a scraper on the network, a proxy)", async () => {
    server = await startTestServer({ PATCHWARDEN_LISTEN: "0.0.0.0:0", PATCHWARDEN_REVIEW_ORIGIN: "https://patchwarden.example.org" });
    for (const host of ["192.0.2.7:8787", "[2001:db8::1]:8787", "patchwarden.example.org"]) {
      expect((await server.app.request("http://127.0.0.1:8787/healthz", { headers: { host } })).status, host).toBe(200);
      expect((await server.app.request("http://127.0.0.1:8787/metrics", { headers: { host } })).status, host).toBe(200);
    }
    expect((await server.app.request("http://127.0.0.1:8787/healthz", { headers: { host: "rebind.attacker.example" } })).status).toBe(421);
  });

  it("is answered over a real socket at 127.0.0.1, as install.md and the units ask", async () => {
    dir = await mkdtemp(join(tmpdir(), "pw-health-"));
    server = await startTestServer({}, { listen: true }, dir);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(200);
  });

  it("does not check the Host of a delivery: Forgejo may address it by any name, and the signature guards it", async () => {
    server = await startTestServer();
    fake.issue("root/example-push", 3, { labels: ["gate/review"] });
    const init = deliveryRequest({ event: "issues", type: "issue_label", id: "host-any", body: await payload("synthesized/issues__label_updated.json") });
    const response = await server.app.request("http://forgejo-facing.example/webhooks/forgejo", { ...init, headers: { ...init.headers, host: "forgejo-facing.example" } });
    expect(response.status).toBe(202);
    await server.worker.idle();
  });
});

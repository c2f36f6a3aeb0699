import { mkdtemp, readFile, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { FakeForgejo, startMsw } from "../helpers/fake-forgejo.js";
import { deliveryRequest, payload, startTestServer, type TestServer } from "../helpers/server-harness.js";

const fake = new FakeForgejo();
const msw = startMsw(fake);
afterAll(() => msw.close());

let dir: string;
let server: TestServer | null = null;
afterEach(async () => {
  await server?.cleanup();
  server = null;
  await rm(dir, { recursive: true, force: true });
});

/** Sends the head and half the body at once, the rest when told; resolves with the raw response. */
function slowDelivery(url: string, init: ReturnType<typeof deliveryRequest>, keepAlive: boolean) {
  const u = new URL(url);
  const socket = connect(Number(u.port), u.hostname);
  const body = Buffer.from(init.body as Buffer);
  const head = [`POST /webhooks/forgejo HTTP/1.1`, `host: ${u.host}`, `content-length: ${body.length}`, `connection: ${keepAlive ? "keep-alive" : "close"}`, ...Object.entries(init.headers).map(([k, v]) => `${k}: ${v}`), "", ""].join("\r\n");
  let response = "";
  const done = new Promise<string>((resolve) => {
    socket.on("data", (chunk) => {
      response += chunk.toString();
      if (response.includes("\r\n\r\n") && /\}$/.test(response)) resolve(response);
    });
    socket.on("close", () => resolve(response));
  });
  const connected = new Promise<void>((resolve) => socket.on("connect", resolve));
  return {
    async start() {
      await connected;
      socket.write(head);
      socket.write(body.subarray(0, body.length >> 1));
      await new Promise((resolve) => setTimeout(resolve, 50));
    },
    finish: () => socket.write(body.subarray(body.length >> 1)),
    done,
    socket,
  };
}

/**
 * Stopping with a delivery half-sent: it is still answered and stored, and its connection is closed
 * by the answer, so the stop does not wait out the 5 s grace for a keep-alive connection gone idle.
 */
describe("SIGTERM while a delivery is in flight", () => {
  for (const keepAlive of [false, true]) {
    it(`answers it and records it (connection: ${keepAlive ? "keep-alive" : "close"}), then stops promptly`, async () => {
      dir = await mkdtemp(join(tmpdir(), "pw-stop-"));
      server = await startTestServer({}, { listen: true }, dir);
      const body = await payload("synthesized/issues__label_updated.json");
      const d = slowDelivery(server.url!, deliveryRequest({ event: "issues", type: "issue_label", id: `inflight-${keepAlive}`, body }), keepAlive);
      await d.start();
      const started = performance.now();
      const closing = server.close();
      await new Promise((resolve) => setTimeout(resolve, 200));
      d.finish();
      const response = await d.done;
      await closing;
      const took = performance.now() - started;
      server = null;
      d.socket.destroy();
      expect(response).toMatch(/^HTTP\/1\.1 202/);
      expect(response.toLowerCase()).toContain("\r\nconnection: close\r\n");
      expect(await readFile(join(dir, "inbox", "deliveries.jsonl"), "utf8")).toContain(`"delivery":"inflight-${keepAlive}"`);
      expect(took).toBeLessThan(2_000);
    });
  }
});

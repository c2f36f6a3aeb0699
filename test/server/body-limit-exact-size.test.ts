import { request } from "node:http";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { FakeForgejo, startMsw } from "../helpers/fake-forgejo.js";
import { deliveryRequest, startTestServer, type TestServer } from "../helpers/server-harness.js";

const fake = new FakeForgejo();
const msw = startMsw(fake);
afterAll(() => msw.close());

const LIMIT = 2048;
let server: TestServer | null = null;
afterEach(async () => {
  await server?.cleanup();
  server = null;
});

/** A JSON delivery body of exactly `size` bytes (an event that is not a trigger: acknowledged, nothing more). */
function bodyOf(size: number): Buffer {
  const body = Buffer.from(`{"f":"${"x".repeat(size - 8)}"}`);
  expect(body.length).toBe(size);
  return body;
}

/** Sends the body with a Content-Length (as Forgejo does), or in chunks without one (as a proxy may). */
function send(url: string, id: string, body: Buffer, chunked: boolean): Promise<{ status: number; body: string }> {
  const headers: Record<string, string> = deliveryRequest({ event: "release", id, body }).headers;
  const sent = chunked ? { ...headers, "transfer-encoding": "chunked" } : { ...headers, "content-length": String(body.length) };
  return new Promise((resolve, reject) => {
    const req = request(`${url}/webhooks/forgejo`, { method: "POST", headers: sent }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on("error", reject);
    if (chunked) {
      req.write(body.subarray(0, 1000));
      req.write(body.subarray(1000));
    } else req.write(body);
    req.end();
  });
}

describe("PATCHWARDEN_MAX_BODY_BYTES is the largest delivery taken, not the first one refused", () => {
  for (const chunked of [false, true]) {
    it(`accepts a body of exactly the limit and refuses one byte more (${chunked ? "chunked" : "Content-Length"})`, async () => {
      server = await startTestServer({ PATCHWARDEN_MAX_BODY_BYTES: String(LIMIT) }, { listen: true });
      const atLimit = await send(server.url!, "at-limit", bodyOf(LIMIT), chunked);
      expect(atLimit.status).toBe(202);
      expect(JSON.parse(atLimit.body)).toMatchObject({ delivery: "at-limit", status: "ignored" });
      const over = await send(server.url!, "over-limit", bodyOf(LIMIT + 1), chunked);
      expect(over.status).toBe(413);
      expect(JSON.parse(over.body)).toMatchObject({ error: "payload_too_large", message: `deliveries are limited to ${LIMIT} bytes (PATCHWARDEN_MAX_BODY_BYTES)` });
    });
  }
});

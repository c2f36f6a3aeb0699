import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
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

/** A delivery whose body goes out in chunks with no Content-Length, as a proxy may pass it on. */
function sendChunked(url: string, headers: Record<string, string>, chunks: Buffer[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/webhooks/forgejo`, { method: "POST", headers: { ...headers, "transfer-encoding": "chunked" } }, (res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode!, body }));
    });
    req.on("error", reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

describe("chunked deliveries over a real socket", () => {
  it("accepts one under the limit and refuses one over it", async () => {
    dir = await mkdtemp(join(tmpdir(), "pw-chunked-"));
    server = await startTestServer({ PATCHWARDEN_MAX_BODY_BYTES: "8192" }, { listen: true }, dir);
    const body = Buffer.from(JSON.stringify(JSON.parse(await payload("synthesized/issues__label_updated.json"))));
    expect(body.length).toBeLessThan(8192);
    const ok = await sendChunked(server.url!, deliveryRequest({ event: "issues", type: "issue_label", id: "c-1", body }).headers, [body.subarray(0, 100), body.subarray(100)]);
    expect(ok.status).toBe(202);
    const big = Buffer.from(JSON.stringify({ x: "y".repeat(10_000) }));
    const tooBig = await sendChunked(server.url!, deliveryRequest({ event: "issues", id: "c-2", body: big }).headers, [big.subarray(0, 3000), big.subarray(3000)]).catch((e: Error) => ({ status: -1, body: e.message }));
    expect(tooBig.status).toBe(413);
  });
});

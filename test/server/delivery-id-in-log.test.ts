import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { jsonLogger } from "../../src/observability/logger.js";
import { startTestServer, type TestServer } from "../helpers/server-harness.js";

// The characters src/markdown/unsafe-characters.ts calls line-forging or display-changing, minus the
// C0 controls that JSON.stringify already escapes.
const RAW_UNSAFE = /[\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

let server: TestServer | undefined;
afterEach(async () => {
  await server?.cleanup();
  server = undefined;
});

/** Sends raw bytes as a client does (header values Node reads as latin1) and returns the answer. */
async function sendRaw(url: URL, deliveryHeader: Buffer): Promise<string> {
  const body = "{}";
  const head = [
    "POST /webhooks/forgejo HTTP/1.1",
    `Host: ${url.host}`,
    "Content-Type: application/json",
    "X-Forgejo-Event: issues",
    "X-Forgejo-Signature: " + "0".repeat(64),
    "Connection: close",
    `Content-Length: ${body.length}`,
  ].join("\r\n");
  const request = Buffer.concat([Buffer.from(`${head}\r\nX-Forgejo-Delivery: `, "latin1"), deliveryHeader, Buffer.from(`\r\n\r\n${body}`, "latin1")]);
  return new Promise<string>((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.end(request));
    let text = "";
    socket.on("data", (chunk) => (text += chunk.toString("latin1")));
    socket.on("end", () => resolve(text));
    socket.on("error", reject);
  });
}

// The delivery header is read before the signature is checked: anyone who can reach the port
// chooses it, so only a delivery id (isSafeDeliveryId) is logged as one.
describe("the delivery log line of an unsigned request", () => {
  it("says the header was not a delivery id, without its bytes", async () => {
    const lines: string[] = [];
    server = await startTestServer({}, { listen: true, log: jsonLogger((line) => void lines.push(line)) });
    // 0x85 (NEL) and 0x9b (CSI), then what would pass for a log line of its own.
    const header = Buffer.concat([Buffer.from("forged", "latin1"), Buffer.from([0x85, 0x9b]), Buffer.from('31m{"level":"info"}', "latin1")]);
    expect(await sendRaw(new URL(server.url!), header)).toMatch(/^HTTP\/1\.1 401/);
    await new Promise((resolve) => setImmediate(resolve));
    const delivery = lines.find((line) => line.includes('"event":"delivery"'));
    expect(delivery).toBeDefined();
    expect(RAW_UNSAFE.test(delivery!)).toBe(false);
    expect(delivery).not.toContain("forged");
    expect(JSON.parse(delivery!)).toMatchObject({ delivery: "(not a delivery id)", outcome: "unauthorized", status: 401 });
  });

  it("logs a delivery id as it is", async () => {
    const lines: string[] = [];
    server = await startTestServer({}, { listen: true, log: jsonLogger((line) => void lines.push(line)) });
    expect(await sendRaw(new URL(server.url!), Buffer.from("3f2a9c1d-7e4b-4c1d-9a2b-0123456789ab", "latin1"))).toMatch(/^HTTP\/1\.1 401/);
    await new Promise((resolve) => setImmediate(resolve));
    const delivery = lines.find((line) => line.includes('"event":"delivery"'));
    expect(JSON.parse(delivery!)).toMatchObject({ delivery: "3f2a9c1d-7e4b-4c1d-9a2b-0123456789ab", outcome: "unauthorized" });
  });
});

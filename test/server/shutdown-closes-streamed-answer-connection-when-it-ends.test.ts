import { createServer, request, Agent, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { trackConnections } from "../../src/server/graceful-close.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("closing the server while a streamed answer is still being written", () => {
  it("closes its keep-alive connection as soon as the answer ends, without waiting out the grace period, and leaves no timer behind", async () => {
    // Only the grace timer is held still: were the close to wait for it, it would never end.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    let answer: ServerResponse | undefined;
    let answering!: () => void;
    const started = new Promise<void>((resolve) => (answering = resolve));
    const server = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "text/plain" });
      response.write("first part;");
      answer = response;
      answering();
    });
    const close = trackConnections(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const agent = new Agent({ keepAlive: true });
    try {
      const received = new Promise<{ body: string; connection: string | undefined }>((resolve, reject) => {
        const req = request({ host: "127.0.0.1", port, path: "/stream", agent }, (response) => {
          let body = "";
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => (body += chunk));
          response.on("end", () => resolve({ body, connection: response.headers.connection }));
          response.on("error", reject);
        });
        req.on("error", reject);
        req.end();
      });
      await started;
      let closed = false;
      const closing = close().then(() => (closed = true));
      await new Promise((resolve) => setImmediate(resolve));
      expect(closed).toBe(false);
      answer!.end("last part");
      const { body, connection } = await received;
      expect(body).toBe("first part;last part");
      expect(connection).toBe("keep-alive");
      await closing;
      expect(closed).toBe(true);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      agent.destroy();
      server.closeAllConnections();
    }
  }, 4000);
});

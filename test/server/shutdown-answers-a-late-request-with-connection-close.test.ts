import { createServer, type ServerResponse } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { trackConnections } from "../../src/server/graceful-close.js";

describe("a request that arrives on a busy keep-alive connection after shutdown began", () => {
  it("is answered with `connection: close`, so the connection ends with it instead of idling on", async () => {
    const answers: ServerResponse[] = [];
    const waiters: (() => void)[] = [];
    const server = createServer((request, response) => {
      if (request.url === "/first") {
        // A streamed answer: its headers are out before shutdown begins.
        response.writeHead(200, { "content-type": "text/plain" });
        response.write("streaming;");
      }
      answers.push(response);
      waiters.shift()?.();
    });
    const close = trackConnections(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const nextRequest = () => new Promise<void>((resolve) => waiters.push(resolve));
    const socket = connect(port, "127.0.0.1");
    let raw = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (raw += chunk));
    const ended = new Promise<void>((resolve) => socket.on("close", () => resolve()));
    try {
      let arrived = nextRequest();
      socket.write("GET /first HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      await arrived;
      const closing = close();
      arrived = nextRequest();
      socket.write("GET /second HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      await arrived;
      answers[1]!.end("second");
      answers[0]!.end("done");
      await ended;
      await closing;
      const heads = raw.split("HTTP/1.1 ").slice(1);
      expect(heads).toHaveLength(2);
      expect(heads[0]).toMatch(/^200 OK\r\n/);
      expect(heads[1]).toMatch(/^200 OK\r\n/);
      expect(heads[1]!.toLowerCase()).toContain("connection: close");
      expect(heads[1]).toContain("second");
    } finally {
      socket.destroy();
      server.closeAllConnections();
    }
  }, 8000);
});

import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";

// Requests in flight get this long to finish before their connections are cut.
const SHUTDOWN_GRACE_MS = 5_000;

/**
 * Closes a listening server without waiting on clients that hold connections open: idle keep-alive
 * connections, and connections opened ahead of time that never sent a request (browsers keep one
 * to the review page), are closed at once; requests in flight get a grace period, and their answers
 * close their connections. Call `trackConnections` right after the server is created.
 */
export function trackConnections(server: Server): () => Promise<void> {
  const unused = new Set<Socket>();
  const unsent = new Set<ServerResponse>();
  let closing = false;
  server.on("connection", (socket: Socket) => {
    unused.add(socket);
    socket.once("close", () => unused.delete(socket));
  });
  // Ahead of the app's listener, so the header is set before any answer can be written.
  server.prependListener("request", (request: IncomingMessage, response: ServerResponse) => {
    unused.delete(request.socket);
    // A keep-alive connection would go idle after its answer and wait out the grace (taking new
    // requests meanwhile): once closing, every answer closes its connection instead.
    if (closing) return void response.setHeader("connection", "close");
    unsent.add(response);
    response.once("close", () => unsent.delete(response));
  });
  return async () => {
    closing = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const response of unsent) {
      if (!response.headersSent) response.setHeader("connection", "close");
      // Headers already out (a streamed answer): its connection goes idle when it ends; close it then.
      else response.once("finish", () => setImmediate(() => server.closeIdleConnections()));
    }
    server.closeIdleConnections();
    for (const socket of unused) socket.destroy();
    const timer = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    try {
      await closed;
    } finally {
      clearTimeout(timer);
    }
  };
}

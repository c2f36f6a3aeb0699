import type { Server } from "node:http";
import type { Socket } from "node:net";

// Requests in flight get this long to finish before their connections are cut.
const SHUTDOWN_GRACE_MS = 5_000;

/**
 * Closes a listening server without waiting on clients that hold connections open: idle keep-alive
 * connections, and connections opened ahead of time that never sent a request (browsers keep one
 * to the review page), are closed at once; requests in flight get a grace period. Call
 * `trackConnections` right after the server is created.
 */
export function trackConnections(server: Server): () => Promise<void> {
  const unused = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    unused.add(socket);
    socket.once("close", () => unused.delete(socket));
  });
  server.on("request", (request: { socket: Socket }) => unused.delete(request.socket));
  return async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
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

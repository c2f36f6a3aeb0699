import type { Context, MiddlewareHandler } from "hono";
import type { WebhookEnv } from "./verify-forgejo-signature.js";

/**
 * Reads the request body once, refusing more than `maxBytes` (413). With a Content-Length (Forgejo
 * always sends one) it refuses before reading and then reads through @hono/node-server's fast path;
 * Hono's own bodyLimit touches `req.raw.body`, which builds a whole WHATWG Request per delivery.
 * A chunked body is streamed with the cap instead.
 */
export function limitBody(maxBytes: number, tooLarge: (c: Context<WebhookEnv>) => Response): MiddlewareHandler<WebhookEnv> {
  return async (c, next) => {
    const declared = c.req.header("content-length");
    let body: Uint8Array | null;
    if (declared !== undefined && c.req.header("transfer-encoding") === undefined) {
      if (!/^\d+$/.test(declared) || Number(declared) > maxBytes) return tooLarge(c);
      body = new Uint8Array(await c.req.arrayBuffer());
    } else {
      body = await readCapped(c.req.raw.body, maxBytes);
    }
    if (body === null || body.byteLength > maxBytes) return tooLarge(c);
    c.set("rawBody", body);
    await next();
    return undefined;
  };
}

async function readCapped(stream: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Uint8Array | null> {
  if (stream === null) return new Uint8Array(0);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks, size);
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
}

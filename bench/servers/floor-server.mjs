// The floor for the webhook benchmark: a bare Hono endpoint on the same stack that reads the raw
// body, verifies the HMAC with Patchwarden's own function, and answers 202. Nothing else. With
// FLOOR_PARSE=1 it also parses the JSON, for context: the one step no gate can skip.
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { verifyWebhookSignature } from "../../dist/forgejo/webhook-signature.js";

const secret = process.env.PATCHWARDEN_WEBHOOK_SECRET;
const parse = process.env.FLOOR_PARSE === "1";
const app = new Hono();
app.post("/webhooks/forgejo", async (c) => {
  const body = new Uint8Array(await c.req.arrayBuffer());
  if (!verifyWebhookSignature(secret, body, c.req.header("x-forgejo-signature"))) return c.json({ error: "bad_signature" }, 401);
  if (parse) JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8"));
  return c.json({ status: "accepted" }, 202);
});
serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, (info) => process.stdout.write(`${JSON.stringify({ port: info.port })}\n`));

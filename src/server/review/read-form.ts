import type { Context } from "hono";

export const MAX_FORM_BYTES = 16 * 1024;

export type FormRead = { ok: true; form: URLSearchParams } | { ok: false; status: 413 | 415; problem: string };

/** A url-encoded form body, at most MAX_FORM_BYTES (every form here is a few fields). */
export async function readForm(c: Context): Promise<FormRead> {
  const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") return { ok: false, status: 415, problem: `expected a form (application/x-www-form-urlencoded), got \`${type.slice(0, 80) || "no content type"}\`` };
  const declared = c.req.header("content-length");
  if (declared !== undefined && (!/^\d+$/.test(declared) || Number(declared) > MAX_FORM_BYTES)) return tooLarge();
  const body = c.req.raw.body;
  if (body === null) return { ok: true, form: new URLSearchParams() };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_FORM_BYTES) {
      await reader.cancel();
      return tooLarge();
    }
    chunks.push(value);
  }
  return { ok: true, form: new URLSearchParams(Buffer.concat(chunks, size).toString("utf8")) };
}

function tooLarge(): FormRead {
  return { ok: false, status: 413, problem: `a form here is at most ${MAX_FORM_BYTES} bytes` };
}

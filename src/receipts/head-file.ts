import type { KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import * as z from "zod";
import { canonicalJson } from "../integrity/canonical-json.js";
import { writeFileAtomic } from "../fsutil/atomic-write.js";
import { GENESIS_HASH, keyIdSchema } from "./receipt-schema.js";
import type { ReceiptSigner } from "./seal.js";
import { verifyWith } from "./signing.js";

/**
 * `receipts.head`: the anchor outside the chain. A chain can prove nothing was changed inside it,
 * but not that its end was not cut off; the head records the last receipt's seq and hash, written
 * after every append. Signed, it is a checkpoint: an exported copy kept elsewhere proves, later, that
 * the log still reaches it unchanged.
 */
export const HEAD_SCHEMA_ID = "patchwarden.receipts_head.v1";

export const headSchema = z.strictObject({
  schema: z.literal(HEAD_SCHEMA_ID),
  seq: z.int().nonnegative(),
  hash: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  time: z.string(),
  key_id: keyIdSchema.optional(),
  sig: z
    .string()
    .regex(/^[A-Za-z0-9+/]{86}==$/)
    .optional(),
});

export type HeadRecord = z.output<typeof headSchema>;

export type HeadRead = { ok: true; head: HeadRecord | null } | { ok: false; problem: string };

/** null head: no file. A file that is not a head is a problem, never "no head". */
export async function readHead(path: string): Promise<HeadRead> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { ok: true, head: null };
    return { ok: false, problem: `cannot be read (${(error as Error).message})` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: "is not JSON; it was damaged or changed by hand" };
  }
  const parsed = headSchema.safeParse(value);
  if (!parsed.success) return { ok: false, problem: `is not a receipts head (${parsed.error.issues[0]?.path.join(".") || "top level"}: ${parsed.error.issues[0]?.message ?? "invalid"}); it was damaged or changed by hand` };
  return { ok: true, head: parsed.data };
}

export function makeHead(seq: number, hash: string, time: string, signer?: ReceiptSigner): HeadRecord {
  const body: HeadRecord = { schema: HEAD_SCHEMA_ID, seq, hash, time };
  if (signer === undefined) return body;
  body.key_id = signer.keyId;
  return { ...body, sig: signer.sign(Buffer.from(canonicalJson(body))) };
}

export const EMPTY_HEAD = { seq: 0, hash: GENESIS_HASH };

export async function writeHead(path: string, head: HeadRecord, durable: boolean): Promise<void> {
  await writeFileAtomic(path, `${canonicalJson(head)}\n`, { durable, mode: 0o644 });
}

export type HeadSignature = "valid" | "unsigned" | "unknown_key" | "invalid";

/**
 * The writer's own check, with the key it signs with: ed25519 signatures are deterministic, so a head
 * this signer signed is signed again to the very same bytes. Needs no public key, and accepts
 * nothing but this key's own signature of exactly this head.
 */
export function checkHeadSignedBy(head: HeadRecord, signer: ReceiptSigner): HeadSignature {
  if (head.sig === undefined || head.key_id === undefined) return "unsigned";
  if (head.key_id !== signer.keyId) return "unknown_key";
  const { sig, ...body } = head;
  return signer.sign(Buffer.from(canonicalJson(body))) === sig ? "valid" : "invalid";
}

export function checkHeadSignature(head: HeadRecord, keys: ReadonlyMap<string, KeyObject>): HeadSignature {
  if (head.sig === undefined || head.key_id === undefined) return "unsigned";
  const key = keys.get(head.key_id);
  if (key === undefined) return "unknown_key";
  const { sig, ...body } = head;
  return verifyWith(key, Buffer.from(canonicalJson(body)), sig) ? "valid" : "invalid";
}

import { formatDiagnostic } from "../diagnostics/diagnostic.js";
import { validateWith } from "../diagnostics/zod-diagnostics.js";
import { canonicalJson } from "../integrity/canonical-json.js";
import { sha256Digest } from "../integrity/digest.js";
import { MAX_RECEIPT_BYTES, RECEIPT_SCHEMA_ID, receiptDraftSchema, type Receipt, type ReceiptDraft } from "./receipt-schema.js";

/** Signs receipts and heads with the operator's key (see signing.ts). */
export interface ReceiptSigner {
  keyId: string;
  /** base64 ed25519 signature of `message` */
  sign(message: Uint8Array): string;
}

export interface Envelope {
  seq: number;
  /** ISO UTC, formatIsoTime */
  time: string;
  prev: string;
}

export interface Sealed {
  receipt: Receipt;
  /** The line as written, newline included. */
  line: string;
}

/** A draft that does not follow the receipt contract: the caller's bug, reported path first. */
export class ReceiptDraftError extends Error {
  constructor(readonly problems: string[]) {
    super(`receipt draft is invalid: ${problems.join("; ")}`);
    this.name = "ReceiptDraftError";
  }
}

export type ValidDraft = ReceiptDraft & { readonly __validated: unique symbol };

export function validateDraft(draft: ReceiptDraft): ValidDraft {
  const result = validateWith(receiptDraftSchema, draft, "receipt");
  if (!result.ok) throw new ReceiptDraftError(result.diagnostics.map(formatDiagnostic));
  return result.value as ValidDraft;
}

/**
 * The line is the canonical JSON of the receipt without its seal, with the seal appended as its
 * last members: `{…body…,"hash":"sha256:…"}` or `{…body…,"hash":"sha256:…","sig":"…"}`. So the
 * hashed bytes are exactly the line up to `,"hash"` plus `}`: a verifier hashes the line in place,
 * and an operator can check one with `sed 's/,"hash".*$/}/' | sha256sum`. `key_id` is inside the
 * body, so stripping a signature leaves a receipt that says it was signed.
 */
export function sealReceipt(draft: ValidDraft, envelope: Envelope, signer?: ReceiptSigner): Sealed {
  const body: Record<string, unknown> = { ...draft, schema: RECEIPT_SCHEMA_ID, seq: envelope.seq, time: envelope.time, prev: envelope.prev };
  if (signer !== undefined) body["key_id"] = signer.keyId;
  const bodyJson = canonicalJson(body);
  const hash = sha256Digest(bodyJson);
  const sig = signer?.sign(Buffer.from(hash, "latin1"));
  const line = `${bodyJson.slice(0, -1)},"hash":"${hash}"${sig === undefined ? "" : `,"sig":"${sig}"`}}\n`;
  const bytes = Buffer.byteLength(line);
  if (bytes > MAX_RECEIPT_BYTES) {
    throw new ReceiptDraftError([`receipt: ${bytes} bytes, over the ${MAX_RECEIPT_BYTES}-byte limit of one receipt; shorten its reason or lists`]);
  }
  const receipt = { ...body, hash, ...(sig === undefined ? {} : { sig }) } as Receipt;
  return { receipt, line };
}

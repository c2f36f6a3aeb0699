import * as crypto from "node:crypto";

/**
 * Checks one receipt line in place, on bytes, without JSON.parse: verifying a million receipts is
 * dominated by this function. Every byte of the body is hashed; the fields the chain needs (seq,
 * prev, key_id) are read at their canonical keys, which can only be object keys because quotes
 * inside JSON strings are escaped, and which the receipt schema uses at the top level only.
 */
export interface LineFacts {
  seq: number;
  prev: string;
  hash: string;
  keyId: string | null;
  sig: string | null;
}

export type LineCheck = { ok: true; facts: LineFacts } | { ok: false; kind: "malformed" | "changed"; detail: string };

const SEAL = Buffer.from(',"hash":"sha256:');
const SIG = Buffer.from(',"sig":"');
const PREV = Buffer.from(',"prev":"sha256:');
const SEQ = Buffer.from(',"seq":');
const KEY_ID = Buffer.from(',"key_id":"ed25519:');
const KIND = Buffer.from(',"kind":"');
const KEY_PREFIX_LENGTH = "ed25519:".length;
const HEX_LENGTH = 64;
const SIG_LENGTH = 88;
// `,"hash":"sha256:` + 64 hex + `"` + `}`
const UNSIGNED_SEAL_LENGTH = SEAL.length + HEX_LENGTH + 2;
// … + `,"sig":"` + 88 base64 + `"` before the closing brace
const SIGNED_SEAL_LENGTH = UNSIGNED_SEAL_LENGTH + SIG.length + SIG_LENGTH + 1;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const QUOTE = 0x22;
const COMMA = 0x2c;

// crypto.hash (Node 20.12+) hashes in one call; older Node 20 releases take the Hash object path.
const oneShot: ((data: Uint8Array) => string) | null =
  typeof (crypto as { hash?: unknown }).hash === "function" ? (data) => crypto.hash("sha256", data, "hex") : null;

function sha256Hex(data: Uint8Array): string {
  return oneShot !== null ? oneShot(data) : crypto.createHash("sha256").update(data).digest("hex");
}

/**
 * `end` excludes the newline. The buffer must be writable: the seal's comma is turned into `}` for
 * the length of one hash call, so the body is hashed without a copy, and then put back.
 */
export function checkLine(buf: Buffer, start: number, end: number): LineCheck {
  // One view per line: Buffer#indexOf has no end bound, and must not run on into the next lines.
  const line = buf.subarray(start, end);
  const length = line.length;
  if (length < UNSIGNED_SEAL_LENGTH + 2 || line[0] !== OPEN_BRACE || line[1] !== QUOTE || line[length - 1] !== CLOSE_BRACE) {
    return { ok: false, kind: "malformed", detail: "is not a receipt (not a JSON object ending in a `hash` seal)" };
  }
  const sealAt = line.lastIndexOf(SEAL, length - UNSIGNED_SEAL_LENGTH);
  if (sealAt <= 0) return { ok: false, kind: "malformed", detail: "has no `hash` seal" };
  const hashHex = line.toString("latin1", sealAt + SEAL.length, sealAt + SEAL.length + HEX_LENGTH);
  const afterHash = sealAt + SEAL.length + HEX_LENGTH;
  if (!isLowerHex(hashHex) || line[afterHash] !== QUOTE) return { ok: false, kind: "malformed", detail: "has a `hash` that is not `sha256:` and 64 hex digits" };
  let sig: string | null = null;
  if (length - sealAt === SIGNED_SEAL_LENGTH && line.compare(SIG, 0, SIG.length, afterHash + 1, afterHash + 1 + SIG.length) === 0 && line[length - 2] === QUOTE) {
    sig = line.toString("latin1", afterHash + 1 + SIG.length, length - 2);
    if (!isBase64Signature(sig)) return { ok: false, kind: "malformed", detail: "has a `sig` that is not a base64 ed25519 signature" };
  } else if (length - sealAt !== UNSIGNED_SEAL_LENGTH) {
    return { ok: false, kind: "malformed", detail: "has bytes after its `hash` seal that are not a signature" };
  }

  line[sealAt] = CLOSE_BRACE;
  const actual = sha256Hex(line.subarray(0, sealAt + 1));
  line[sealAt] = COMMA;
  if (actual !== hashHex) return { ok: false, kind: "changed", detail: "hash does not match the receipt's content" };

  const body = line.subarray(0, sealAt);
  const prevAt = body.indexOf(PREV);
  if (prevAt < 0) return { ok: false, kind: "malformed", detail: "has no `prev` hash" };
  const prevHex = body.toString("latin1", prevAt + PREV.length, prevAt + PREV.length + HEX_LENGTH);
  if (!isLowerHex(prevHex) || body[prevAt + PREV.length + HEX_LENGTH] !== QUOTE) return { ok: false, kind: "malformed", detail: "has a `prev` that is not a sha256 digest" };
  const seq = readSeq(body, 0, body.length);
  if (seq === null) return { ok: false, kind: "malformed", detail: "has no whole-number `seq`" };
  let keyId: string | null = null;
  const keyAt = body.indexOf(KEY_ID);
  if (keyAt >= 0) {
    const valueAt = keyAt + KEY_ID.length - KEY_PREFIX_LENGTH;
    keyId = body.toString("latin1", valueAt, valueAt + KEY_PREFIX_LENGTH + 16);
    if (!/^ed25519:[0-9a-f]{16}$/.test(keyId) || body[valueAt + KEY_PREFIX_LENGTH + 16] !== QUOTE) return { ok: false, kind: "malformed", detail: "has a `key_id` that is not `ed25519:` and 16 hex digits" };
  }
  if (sig !== null && keyId === null) return { ok: false, kind: "malformed", detail: "has a signature but no `key_id` to say whose" };
  // A key_id without a signature is a stripped signature; the verifier names it.
  return { ok: true, facts: { seq, prev: `sha256:${prevHex}`, hash: `sha256:${hashHex}`, keyId, sig } };
}

/** The `seq` of a line without checking anything else: for naming lines around a problem. */
export function readSeq(buf: Buffer, start: number, end: number): number | null {
  const line = buf.subarray(start, end);
  const at = line.indexOf(SEQ);
  if (at < 0) return null;
  let value = 0;
  let i = at + SEQ.length;
  const first = i;
  for (; i < line.length; i++) {
    const code = line[i]!;
    if (code < 0x30 || code > 0x39) break;
    value = value * 10 + (code - 0x30);
  }
  if (i === first || i - first > 15 || (line[first] === 0x30 && i - first > 1)) return null;
  const next = line[i];
  return next === COMMA || next === CLOSE_BRACE ? value : null;
}

/** Whether the line's kind starts with `prefix` (e.g. `lock.`), to skip lines a reader does not need. */
export function kindStartsWith(buf: Buffer, start: number, end: number, prefix: Buffer): boolean {
  const line = buf.subarray(start, end);
  const at = line.indexOf(KIND);
  return at >= 0 && line.compare(prefix, 0, prefix.length, at + KIND.length, at + KIND.length + prefix.length) === 0;
}

function isLowerHex(text: string): boolean {
  if (text.length !== HEX_LENGTH) return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!((code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x66))) return false;
  }
  return true;
}

function isBase64Signature(text: string): boolean {
  return text.length === SIG_LENGTH && /^[A-Za-z0-9+/]{86}==$/.test(text);
}

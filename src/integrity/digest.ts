import { createHash } from "node:crypto";

/** Digests are written `sha256:<hex>` everywhere Patchwarden writes them, so `sha256sum` output can be compared by eye. */
export type Sha256Digest = `sha256:${string}`;

const DIGEST_PATTERN = /^(?:sha256:)?([0-9a-f]{64})$/;

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export function sha256Digest(bytes: Uint8Array | string): Sha256Digest {
  return `sha256:${sha256Hex(bytes)}`;
}

/** Accepts `sha256:<hex>` or bare lowercase hex (the safe-update kit's bundle list uses bare hex). */
export function normalizeDigest(value: string): Sha256Digest | null {
  const match = DIGEST_PATTERN.exec(value);
  return match ? `sha256:${match[1]}` : null;
}

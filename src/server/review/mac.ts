import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/** HMAC-SHA256 of `parts` (joined unambiguously) under the page's session key, base64url. */
export function mac(key: Buffer, ...parts: string[]): string {
  const hmac = createHmac("sha256", key);
  for (const part of parts) hmac.update(`${Buffer.byteLength(part)}:${part}|`);
  return hmac.digest("base64url");
}

/** Constant-time equality of two strings of any length (hashed first). */
export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());
}

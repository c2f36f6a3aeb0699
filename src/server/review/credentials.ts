import { createHash, timingSafeEqual } from "node:crypto";

// Compared against when the login is unknown, so an unknown login takes as long as a wrong token.
const NO_TOKEN = createHash("sha256").update("patchwarden: no such login").digest();

/**
 * The operator signing in, when `token` is the one configured for `login`. Both sides are hashed
 * first, so the comparison is constant-time whatever the lengths.
 */
export function matchOperator(tokens: ReadonlyMap<string, string>, login: string, token: string): string | null {
  const expected = tokens.get(login);
  const given = createHash("sha256").update(token, "utf8").digest();
  const wanted = expected === undefined ? NO_TOKEN : createHash("sha256").update(expected, "utf8").digest();
  const same = timingSafeEqual(given, wanted);
  return expected !== undefined && same ? login : null;
}

/** A short fingerprint of an operator's token: sessions are bound to it, so changing a token ends its sessions. */
export function tokenTag(tokens: ReadonlyMap<string, string>, login: string): string | null {
  const token = tokens.get(login);
  return token === undefined ? null : createHash("sha256").update(`patchwarden review session|${token}`).digest("base64url");
}

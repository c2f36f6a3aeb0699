import type { Context } from "hono";
import { mac, sameSecret } from "./mac.js";

/**
 * Synchronizer tokens: an HMAC of the session id and the form's purpose (`approve:p_…`), so a token
 * is good for one session and one form only. The login form, before any session, uses the nonce
 * of a short-lived cookie instead of a session id.
 */
export function csrfToken(key: Buffer, sessionId: string, purpose: string): string {
  return mac(key, "csrf", sessionId, purpose);
}

export function csrfValid(key: Buffer, sessionId: string, purpose: string, given: string | undefined): boolean {
  return given !== undefined && given.length <= 128 && sameSecret(given, csrfToken(key, sessionId, purpose));
}

/**
 * Why a form post looks cross-site, or null. The token is the defence that does not depend on the
 * browser; this is the second one. `Sec-Fetch-Site` is set by the browser and cannot be forged by a
 * page, so when present it decides. Otherwise `Origin`, when present, must be this site. (Under
 * `Referrer-Policy: no-referrer` browsers send `Origin: null` even for same-origin posts, which is
 * why `Sec-Fetch-Site` comes first.)
 */
export function crossSiteProblem(c: Context, publicOrigin: URL | undefined): string | null {
  const site = c.req.header("sec-fetch-site");
  if (site !== undefined) return site === "same-origin" ? null : `the browser says this form was sent from another site (Sec-Fetch-Site: ${site.slice(0, 40)})`;
  const origin = c.req.header("origin");
  if (origin === undefined) return null;
  const allowed = new Set([new URL(c.req.url).origin, ...(publicOrigin === undefined ? [] : [publicOrigin.origin])]);
  return allowed.has(origin) ? null : `the form was sent from \`${origin.slice(0, 200)}\`, not from this page`;
}

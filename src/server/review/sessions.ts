import { randomBytes } from "node:crypto";
import { tokenTag } from "./credentials.js";
import { mac, sameSecret } from "./mac.js";
import type { SignedOutSessions } from "./signed-out-sessions.js";

export interface Session {
  login: string;
  /** Random per sign-in: CSRF tokens are derived from it, and sign-out revokes it. */
  id: string;
  /** epoch ms */
  expiresAt: number;
}

export const SESSION_MS = 8 * 60 * 60 * 1000;
const LOGIN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/**
 * Stateless sessions: the cookie is `login.expiry.id.mac`, the MAC over those and a fingerprint of
 * the operator's current token. Nothing is stored but the sessions signed out before they expire.
 */
export class Sessions {
  constructor(
    private readonly key: Buffer,
    private readonly tokens: ReadonlyMap<string, string>,
    private readonly signedOut: SignedOutSessions,
  ) {}

  issue(login: string, now: number): { session: Session; cookie: string } {
    const session: Session = { login, id: randomBytes(18).toString("base64url"), expiresAt: now + SESSION_MS };
    const tag = tokenTag(this.tokens, login);
    if (tag === null) throw new Error(`review: no token is configured for \`${login}\``);
    return { session, cookie: `${login}.${session.expiresAt}.${session.id}.${mac(this.key, "session", login, String(session.expiresAt), session.id, tag)}` };
  }

  /** The session a cookie carries, or null when it is malformed, forged, expired, signed out, or its token changed. */
  verify(cookie: string | undefined, now: number): Session | null {
    if (cookie === undefined || cookie.length > 512) return null;
    const parts = cookie.split(".");
    // A login may hold dots: the last three parts are expiry, id and MAC.
    if (parts.length < 4) return null;
    const [expiry, id, given] = parts.slice(-3) as [string, string, string];
    const login = parts.slice(0, -3).join(".");
    if (!LOGIN.test(login) || !/^\d{1,15}$/.test(expiry) || !/^[A-Za-z0-9_-]{24}$/.test(id)) return null;
    const tag = tokenTag(this.tokens, login);
    if (tag === null) return null;
    if (!sameSecret(given, mac(this.key, "session", login, expiry, id, tag))) return null;
    const expiresAt = Number(expiry);
    if (expiresAt <= now || this.signedOut.has(id)) return null;
    return { login, id, expiresAt };
  }

  /**
   * Signing out: the cookie is deleted, and its value stops working even if it was copied, across
   * restarts too. Refused at once; throws when the sign-out could not be written to the data folder.
   */
  revoke(session: Session, now: number): Promise<void> {
    return this.signedOut.add(session.id, session.expiresAt, now);
  }
}

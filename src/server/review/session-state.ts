import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { Logger } from "../../observability/logger.js";
import { replaceSessionKey, resolveSessionKey } from "./session-key.js";
import { SIGNED_OUT_FILE, SignedOutSessions } from "./signed-out-sessions.js";

export interface SessionState {
  key: Buffer;
  signedOut: SignedOutSessions;
}

/**
 * The session key and the list of signed-out sessions, for operators mode. A list that cannot be
 * read or trusted may have held a signed-out cookie someone kept, so it fails closed: a new key
 * ends every session (operators sign in again), then an empty list is written. In that order: an
 * empty list beside the old key would revive the cookies it forgot. A damaged list never stops the
 * server: if not even the key can be written, a key held in memory serves this run.
 */
export async function openSessionState(dataDir: string, now: number, log: Logger): Promise<SessionState> {
  const key = await resolveSessionKey(dataDir);
  const loaded = await SignedOutSessions.load(dataDir, now);
  if (loaded.ok) return { key, signedOut: loaded.sessions };
  log.warn("review.signed_out_damaged", { problem: loaded.problem, message: "a new session key ends every review session; operators sign in again" });
  let fresh: Buffer;
  try {
    fresh = await replaceSessionKey(dataDir);
  } catch (error) {
    log.error("review.session_key_not_replaced", { error: (error as Error).message, message: "a key held in memory signs this run's sessions, which end when the server stops; make the data folder writable" });
    // The damaged list stays as it is, so the next start fails closed again.
    return { key: randomBytes(32), signedOut: new SignedOutSessions(null) };
  }
  const signedOut = new SignedOutSessions(join(dataDir, SIGNED_OUT_FILE));
  try {
    await signedOut.save();
  } catch (error) {
    log.error("review.signed_out_not_saved", { error: (error as Error).message, message: "the next start replaces the session key again; make the data folder writable" });
  }
  return { key: fresh, signedOut };
}

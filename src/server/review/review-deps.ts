import type { Context } from "hono";
import type { RepairLocks } from "../../locks/repair-locks.js";
import type { Logger } from "../../observability/logger.js";
import type { Policy } from "../../policy/policy.js";
import type { EvidenceStore } from "../../queue/evidence-store.js";
import type { ProposalStore } from "../../queue/proposal-store.js";
import type { ReceiptLog } from "../../receipts/receipt-log.js";
import type { SessionState } from "./session-state.js";
import type { Session } from "./sessions.js";

/** What the review page reads and writes through: the server's own stores, trust layer and clock. */
export interface ReviewDeps {
  proposals: ProposalStore;
  evidence: EvidenceStore;
  receipts: ReceiptLog;
  locks: RepairLocks;
  /** The policy as it is now (the server's PolicyHolder), for approval's re-check. */
  policy: (now: number) => Promise<Policy>;
  /** Links to issues, pull requests and commits, and the one origin an approval posts to. */
  forgejoUrl: URL;
  /** The server's read token (PATCHWARDEN_FORGEJO_TOKEN): rejecting an approved proposal looks on Forgejo with it first. */
  forgejoReadToken: string | undefined;
  /** epoch ms */
  now: () => number;
  log: Logger;
  fetch: typeof fetch;
  /** Operators who may approve, login → token. Empty: the page is read-only. */
  tokens: ReadonlyMap<string, string>;
  /** The origin the page is reached at through a proxy, if any: form posts may come from it, and https makes cookies Secure. */
  publicOrigin: URL | undefined;
  /** The host the server listens on: without tokens the page is served on loopback only. */
  listenHost: string;
  /** The key that signs sessions, CSRF tokens and flash messages, and the sessions signed out; null when no tokens are configured. */
  sessionState: SessionState | null;
  /** The connection's remote address; null for a request made in-process (app.request in tests). */
  remoteAddress: (c: Context) => string | null;
}

export interface ReviewEnv {
  Variables: {
    /** The signed-in operator, or null (read-only mode, or not signed in). */
    session: Session | null;
  };
}

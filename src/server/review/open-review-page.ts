import type { Hono } from "hono";
import type { ServerConfig } from "../../config/server-config.js";
import type { RepairLocks } from "../../locks/repair-locks.js";
import type { Logger } from "../../observability/logger.js";
import type { PolicyHolder } from "../../policy/policy-holder.js";
import { EvidenceStore } from "../../queue/evidence-store.js";
import type { ProposalStore } from "../../queue/proposal-store.js";
import type { ReceiptLog } from "../../receipts/receipt-log.js";
import type { WebhookEnv } from "../middleware/verify-forgejo-signature.js";
import { isLoopbackHost, reviewMode, socketAddress } from "./access.js";
import { reviewRoutes } from "./routes.js";
import { openSessionState } from "./session-state.js";

export interface ReviewParts {
  proposals: ProposalStore;
  receipts: ReceiptLog;
  locks: RepairLocks;
  policy: PolicyHolder;
  now: () => number;
  log: Logger;
  fetch: typeof fetch;
}

/**
 * The review page for `startServer`'s `extend` hook, built from the server's own stores and trust
 * layer. A session key is generated into the data folder only once operator tokens are configured.
 */
export async function openReviewPage(config: ServerConfig, parts: ReviewParts): Promise<(app: Hono<WebhookEnv>) => void> {
  const operators = config.reviewTokens.size > 0;
  const sessionState = operators ? await openSessionState(config.dataDir, parts.now(), parts.log) : null;
  if (operators && !isLoopbackHost(config.listen.host) && config.reviewOrigin?.protocol !== "https:") {
    parts.log.warn("review.plain_http", { message: "the review page takes sign-ins and write tokens; serve it over https (a proxy, with PATCHWARDEN_REVIEW_ORIGIN set to its https origin) or reach it through an SSH tunnel" });
  }
  const mode = reviewMode(config.reviewTokens, config.listen.host);
  parts.log.info("review.mode", { mode: mode.kind, path: "/review", operators: [...config.reviewTokens.keys()] });
  const routes = reviewRoutes({
    proposals: parts.proposals,
    evidence: new EvidenceStore(config.dataDir),
    receipts: parts.receipts,
    locks: parts.locks,
    policy: (now) => parts.policy.current(now),
    forgejoUrl: config.forgejoUrl,
    forgejoReadToken: config.forgejoToken,
    now: parts.now,
    log: parts.log,
    fetch: parts.fetch,
    tokens: config.reviewTokens,
    publicOrigin: config.reviewOrigin,
    listenHost: config.listen.host,
    sessionState,
    remoteAddress: socketAddress,
  });
  return (app) => {
    app.route("/review", routes);
  };
}

import type { MiddlewareHandler } from "hono";
import { isExpectedHost, requestHostName, type ReviewMode } from "../review/access.js";

/**
 * The addresses /healthz and /metrics answer at are those the review page with operators answers
 * at: loopback names, the listen host (any IP literal when it listens on all addresses) and
 * PATCHWARDEN_REVIEW_ORIGIN's host. None of them can be owned by another web site.
 */
const SERVER_ADDRESSES: ReviewMode = { kind: "operators" };

/**
 * Refuses (421) a request addressed to a Host this server does not answer to. /healthz and /metrics
 * carry no secret but tell the version, policy digest, backlog and counts, and DNS rebinding lets
 * any web page point its own name at 127.0.0.1 and read them: the browser still sends that name.
 */
export function requireExpectedHost(listenHost: string, publicOrigin: URL | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (!isExpectedHost(requestHostName(c), SERVER_ADDRESSES, listenHost, publicOrigin)) {
      const url = new URL(c.req.url);
      const host = (c.req.header("host") ?? url.host).slice(0, 200);
      const names = `localhost, 127.0.0.1, [::1], the listen address \`${listenHost}\`${publicOrigin !== undefined ? ` and \`${publicOrigin.host}\` (PATCHWARDEN_REVIEW_ORIGIN)` : ""}`;
      return c.json({ error: "misdirected", message: `${url.pathname}: the Host \`${host}\` is not an address of this server, which answers here only at ${names}, so that no other web site can read it; ask at one of those, e.g. http://127.0.0.1:<port>${url.pathname}` }, 421);
    }
    await next();
    return undefined;
  };
}

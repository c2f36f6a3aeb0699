import type { MiddlewareHandler } from "hono";
import { STYLE_HASH } from "./pages/styles.js";

/**
 * Every review response: no script may run, no other origin may load or frame it, forms post only
 * here, and nothing is cached or leaked through the Referer.
 */
export const CONTENT_SECURITY_POLICY = `default-src 'none'; style-src '${STYLE_HASH}'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.header("content-security-policy", CONTENT_SECURITY_POLICY);
    c.header("x-content-type-options", "nosniff");
    c.header("referrer-policy", "no-referrer");
    c.header("x-frame-options", "DENY");
    c.header("cross-origin-opener-policy", "same-origin");
    c.header("cache-control", "no-store");
  };
}

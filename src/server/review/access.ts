import { isIP } from "node:net";
import type { Context } from "hono";
import { getConnInfo } from "@hono/node-server/conninfo";

/**
 * Who may see the page. With operator tokens it is served to anyone who signs in. Without them it
 * is read-only and served on a loopback listen address only, and then only to requests that did not
 * come through a proxy: a proxy in front of a loopback server would otherwise publish it.
 */
export type ReviewMode = { kind: "operators" } | { kind: "read-only" } | { kind: "disabled"; listenHost: string };

export function reviewMode(tokens: ReadonlyMap<string, string>, listenHost: string): ReviewMode {
  if (tokens.size > 0) return { kind: "operators" };
  return isLoopbackHost(listenHost) ? { kind: "read-only" } : { kind: "disabled", listenHost };
}

export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || isLoopbackAddress(host);
}

export function isLoopbackAddress(address: string): boolean {
  const plain = address.replace(/^\[|\]$/g, "").replace(/^::ffff:/i, "");
  if (isIP(plain) === 4) return plain.startsWith("127.");
  return isIP(plain) === 6 && /^(?:0{0,4}:){7}0{0,3}1$|^::1$/.test(plain);
}

const FORWARDING_HEADERS = ["forwarded", "x-forwarded-for", "x-forwarded-host", "x-real-ip"] as const;

/** A request a read-only page may answer: from this machine, not relayed by a proxy. */
export function isLocalRequest(c: Context, remoteAddress: string | null): boolean {
  if (FORWARDING_HEADERS.some((name) => c.req.header(name) !== undefined)) return false;
  return remoteAddress === null || isLoopbackAddress(remoteAddress);
}

/** The socket's remote address under @hono/node-server; null when there is no socket (in-process requests). */
export function socketAddress(c: Context): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null;
  }
}

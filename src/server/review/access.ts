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
  return host.toLowerCase() === "localhost" || isLoopbackAddress(host);
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

/** `name`, `name:port`, `[v6]` or `[v6]:port`; anything else is not a Host this server answers to. */
const HOST = /^(?:\[([0-9a-f:.]+)\]|([a-z0-9._-]+))(?::\d{1,5})?$/i;

/**
 * The name a request was addressed to, lowercase, without port or brackets: its Host header, or
 * its URL's host for an in-process request (which has none). null when the Host is malformed.
 */
export function requestHostName(c: Context): string | null {
  const host = c.req.header("host") ?? new URL(c.req.url).host;
  const match = HOST.exec(host);
  return match === null ? null : (match[1] ?? match[2]!).toLowerCase();
}

/**
 * Whether a request's Host is one this page answers to. DNS rebinding lets any web page point its
 * own name at 127.0.0.1 and read the answers, but the browser still sends that name as the Host:
 * so only names the attacker cannot own are accepted. Read-only: loopback names alone. Operators:
 * also the listen host (any IP literal when it listens on all addresses: an IP literal cannot be
 * rebound) and PATCHWARDEN_REVIEW_ORIGIN's host, which is what a proxy passes on.
 */
export function isExpectedHost(hostName: string | null, mode: ReviewMode, listenHost: string, publicOrigin: URL | undefined): boolean {
  if (hostName === null) return false;
  if (isLoopbackHost(hostName)) return true;
  if (mode.kind !== "operators") return false;
  const listen = listenHost.replace(/^\[|\]$/g, "").toLowerCase();
  if (hostName === listen) return true;
  if (isWildcardAddress(listen) && isIP(hostName) !== 0) return true;
  return publicOrigin !== undefined && hostName === publicOrigin.hostname.replace(/^\[|\]$/g, "").toLowerCase();
}

/** `0.0.0.0` or `::`: the server listens on every address of the machine. */
function isWildcardAddress(address: string): boolean {
  return (isIP(address) === 4 && address === "0.0.0.0") || (isIP(address) === 6 && /^[0:]+$/.test(address));
}

/** The socket's remote address under @hono/node-server; null when there is no socket (in-process requests). */
export function socketAddress(c: Context): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null;
  }
}

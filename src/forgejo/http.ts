import * as z from "zod";
import { formatBytes } from "../document/parse-document.js";
import { ForgejoError, type ForgejoFailure } from "./forgejo-error.js";

export interface HttpOptions {
  /** The Forgejo instance; every request and every followed redirect must stay on this origin. */
  baseUrl: URL;
  token: string | undefined;
  timeoutMs: number;
  maxBytes: number;
  fetch: typeof fetch;
  /** One retry after this delay for network errors, timeouts and 5xx; nothing is retried forever. */
  retryDelayMs: number;
  /** Told about every failed request (metrics). */
  onFailure?: (failure: ForgejoFailure) => void;
}

const MAX_REDIRECTS = 3;

/**
 * Requests to one Forgejo origin, with a timeout, a size cap on the body read, one bounded retry,
 * and redirects followed by hand so that none can lead to another origin (no SSRF, and the token
 * never leaves the instance).
 */
export async function request(options: HttpOptions, method: "GET" | "POST", url: URL, body?: unknown): Promise<{ status: number; headers: Headers; bytes: Uint8Array }> {
  try {
    const result = await requestWithRetry(options, method, url, body);
    if (result.status >= 400) options.onFailure?.("http");
    return result;
  } catch (error) {
    if (error instanceof ForgejoError) options.onFailure?.(error.failure);
    throw error;
  }
}

async function requestWithRetry(options: HttpOptions, method: "GET" | "POST", url: URL, body: unknown): Promise<{ status: number; headers: Headers; bytes: Uint8Array }> {
  let lastError: ForgejoError | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs));
    try {
      const result = await requestOnce(options, method, url, body);
      if (result.status >= 500 && attempt === 0 && method === "GET") {
        lastError = new ForgejoError("http", `${method} ${url.pathname} answered ${result.status}`, result.status);
        continue;
      }
      return result;
    } catch (error) {
      if (!(error instanceof ForgejoError)) throw error;
      lastError = error;
      // Posting twice could duplicate a comment: only reads are retried.
      if (method !== "GET" || (error.failure !== "unreachable" && error.failure !== "timeout")) throw error;
    }
  }
  throw lastError!;
}

async function requestOnce(options: HttpOptions, method: "GET" | "POST", start: URL, body: unknown): Promise<{ status: number; headers: Headers; bytes: Uint8Array }> {
  let url = start;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    if (url.origin !== options.baseUrl.origin) {
      throw new ForgejoError("foreign_origin", `\`${url.origin}\` is not the configured Forgejo (${options.baseUrl.origin}); Patchwarden only reads from its own Forgejo`);
    }
    const headers: Record<string, string> = { accept: "application/json" };
    if (options.token !== undefined) headers["authorization"] = `token ${options.token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    // A controller cleared on completion: AbortSignal.timeout would keep a timer per request alive for the whole timeout.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.timeoutMs);
    try {
      let response: Response;
      try {
        response = await options.fetch(url, {
          method,
          headers,
          redirect: "manual",
          signal: controller.signal,
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
      } catch (error) {
        if (controller.signal.aborted) throw new ForgejoError("timeout", `${method} ${url.pathname} took longer than ${options.timeoutMs} ms`);
        throw new ForgejoError("unreachable", `cannot reach ${url.origin} (${describeCause(error)})`);
      }
      if (response.status >= 300 && response.status < 400 && response.headers.has("location")) {
        discard(response.body?.cancel());
        url = new URL(response.headers.get("location")!, url);
        continue;
      }
      try {
        const bytes = await readCapped(response, options.maxBytes, url);
        return { status: response.status, headers: response.headers, bytes };
      } catch (error) {
        if (controller.signal.aborted && !(error instanceof ForgejoError)) throw new ForgejoError("timeout", `${method} ${url.pathname} took longer than ${options.timeoutMs} ms`);
        throw error;
      }
    } finally {
      clearTimeout(timer);
    }
  }
  throw new ForgejoError("http", `${method} ${start.pathname} redirected more than ${MAX_REDIRECTS} times`);
}

async function readCapped(response: Response, maxBytes: number, url: URL): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    discard(response.body?.cancel());
    throw new ForgejoError("too_large", `${url.pathname} is ${formatBytes(declared)}, over the ${formatBytes(maxBytes)} limit`);
  }
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      discard(reader.cancel());
      throw new ForgejoError("too_large", `${url.pathname} is over the ${formatBytes(maxBytes)} limit`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

export function parseJsonResponse<S extends z.ZodType>(schema: S, bytes: Uint8Array, what: string): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    throw new ForgejoError("invalid_response", `${what}: Forgejo answered with something that is not JSON`);
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ForgejoError("invalid_response", `${what}: unexpected response shape at \`${issue.path.join(".") || "(root)"}\` (${issue.message.toLowerCase()})`);
  }
  return result.data;
}

/**
 * A body that will not be read is cancelled without waiting: a refusal (too large, a redirect) must
 * not wait on a peer that never acknowledges the cancel.
 */
function discard(cancelled: Promise<void> | undefined): void {
  cancelled?.catch(() => {});
}

function describeCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

import { describe, expect, it } from "vitest";
import { request, type HttpOptions } from "../../src/forgejo/http.js";

const BASE = new URL("http://forgejo.test:3000");

function options(fetchImpl: typeof fetch, over: Partial<HttpOptions> = {}): HttpOptions {
  return { baseUrl: BASE, token: "t", timeoutMs: 1500, maxBytes: 1000, fetch: fetchImpl, retryDelayMs: 1, ...over };
}

describe("http: redirects are bounded", () => {
  it("follows at most 3 same-origin redirects, then refuses (4 requests in all, not more)", async () => {
    const asked: string[] = [];
    const fetchImpl = (async (url: URL | string) => {
      asked.push(String(url));
      return new Response(null, { status: 302, headers: { location: `/loop/${asked.length}` } });
    }) as typeof fetch;
    await expect(request(options(fetchImpl), "GET", new URL("/start", BASE))).rejects.toMatchObject({ failure: "http", message: expect.stringMatching(/redirected more than 3 times/) });
    // One attempt only (a redirect loop is not retried as a 5xx or a network error would be).
    expect(asked).toEqual([`${BASE.origin}/start`, `${BASE.origin}/loop/1`, `${BASE.origin}/loop/2`, `${BASE.origin}/loop/3`]);
  });
});

describe("http: a declared Content-Length over the cap is refused before the body is read", () => {
  it("refuses at once on the header, naming the declared size, without waiting on a body that never comes", async () => {
    let pulled = 0;
    const fetchImpl = (async () => {
      // A body that never yields a byte: only the header check can refuse it before the timeout.
      const body = new ReadableStream<Uint8Array>({ pull: () => { pulled++; return new Promise(() => {}); } });
      return new Response(body, { status: 200, headers: { "content-length": String(2000) } });
    }) as typeof fetch;
    const started = Date.now();
    await expect(request(options(fetchImpl, { timeoutMs: 1000 }), "GET", new URL("/big", BASE))).rejects.toMatchObject({ failure: "too_large", message: expect.stringMatching(/^\/big is .* over the .* limit$/) });
    expect(Date.now() - started).toBeLessThan(900);
  }, 3000);
});

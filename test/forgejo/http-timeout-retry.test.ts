import { describe, expect, it } from "vitest";
import { request, type HttpOptions } from "../../src/forgejo/http.js";

const BASE = new URL("http://forgejo.test:3000");

function options(fetchImpl: typeof fetch, over: Partial<HttpOptions> = {}): HttpOptions {
  return { baseUrl: BASE, token: "t", timeoutMs: 1500, maxBytes: 1000, fetch: fetchImpl, retryDelayMs: 1, ...over };
}

describe("http: timeouts", () => {
  it("a Forgejo that never answers is given up on after timeoutMs (once retried), as `timeout`", async () => {
    let calls = 0;
    const fetchImpl = ((_url: URL, init: RequestInit) => {
      calls++;
      return new Promise<Response>((_resolve, reject) => init.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))));
    }) as unknown as typeof fetch;
    const started = Date.now();
    await expect(request(options(fetchImpl, { timeoutMs: 150 }), "GET", new URL("/slow", BASE))).rejects.toMatchObject({ failure: "timeout", message: expect.stringMatching(/took longer than 150 ms/) });
    expect(calls).toBe(2);
    expect(Date.now() - started).toBeLessThan(2000);
  }, 4000);
});

describe("http: retries", () => {
  it("a POST answered 5xx is not sent again (a second post could duplicate a comment)", async () => {
    let calls = 0;
    const fetchImpl = (async () => {
      calls++;
      return new Response("{}", { status: 502 });
    }) as typeof fetch;
    const result = await request(options(fetchImpl), "POST", new URL("/api/v1/repos/o/r/issues/1/comments", BASE), { body: "x" });
    expect(result.status).toBe(502);
    expect(calls).toBe(1);
  });

  it("a GET answered 5xx is retried exactly once", async () => {
    let calls = 0;
    const fetchImpl = (async () => {
      calls++;
      return new Response("{}", { status: 503 });
    }) as typeof fetch;
    expect((await request(options(fetchImpl), "GET", new URL("/x", BASE))).status).toBe(503);
    expect(calls).toBe(2);
  });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MAX_FORM_BYTES } from "../../src/server/review/read-form.js";
import { startTestServer, type TestServer } from "../helpers/server-harness.js";
import { EXAMPLE_TIME, TOKENS } from "./helpers.js";

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer({ PATCHWARDEN_REVIEW_TOKENS: TOKENS }, { now: () => EXAMPLE_TIME });
});
afterEach(async () => server.cleanup());

const SAME_SITE = { origin: "http://localhost", "sec-fetch-site": "same-origin" };

/** A form body of exactly `size` bytes (it holds no CSRF token: a form that is read is refused for that, with 403). */
function body(size: number): string {
  return `a=${"x".repeat(size - 2)}`;
}

async function postLogin(init: { body?: RequestInit["body"]; headers: Record<string, string> }): Promise<{ status: number; text: string }> {
  const response = await server.app.request("/review/login", { method: "POST", headers: { ...SAME_SITE, ...init.headers }, body: init.body, ...(init.body instanceof ReadableStream ? { duplex: "half" } : {}) } as RequestInit);
  return { status: response.status, text: await response.text() };
}

describe("a sign-in form body", () => {
  it("must be url-encoded: anything else is refused with 415, naming what came", async () => {
    for (const [type, shown] of [
      ["application/json", "application/json"],
      ["multipart/form-data; boundary=x", "multipart/form-data"],
      ["text/plain;charset=UTF-8", "text/plain"],
      ["", "no content type"],
    ] as const) {
      // A byte body: a string body would be given a text/plain type of its own.
      const sent = await postLogin({ body: new TextEncoder().encode("login=alice"), headers: type === "" ? {} : { "content-type": type } });
      expect(sent.status, type).toBe(415);
      expect(sent.text).toContain(`expected a form (application/x-www-form-urlencoded), got \`${shown}\`; nobody was signed in.`);
    }
  });

  it("is read up to exactly the limit and refused with 413 one byte past it, when its length is declared", async () => {
    const form = { "content-type": "application/x-www-form-urlencoded" };
    const atLimit = await postLogin({ body: body(MAX_FORM_BYTES), headers: { ...form, "content-length": String(MAX_FORM_BYTES) } });
    expect(atLimit.status).toBe(403);
    expect(atLimit.text).toContain("the sign-in form&#39;s security token is missing or stale");
    const past = await postLogin({ body: body(MAX_FORM_BYTES + 1), headers: { ...form, "content-length": String(MAX_FORM_BYTES + 1) } });
    expect(past.status).toBe(413);
    expect(past.text).toContain(`a form here is at most ${MAX_FORM_BYTES} bytes; nobody was signed in.`);
  });

  it("is refused with 413 when its declared length is not a number of bytes", async () => {
    for (const declared of ["-1", "12abc", "1e3", "0x10"]) {
      const sent = await postLogin({ body: "a=b", headers: { "content-type": "application/x-www-form-urlencoded", "content-length": declared } });
      expect(sent.status, declared).toBe(413);
    }
  });

  it("is read up to exactly the limit and refused with 413 past it, when it comes without a length", async () => {
    const stream = (text: string) =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          const bytes = Buffer.from(text);
          for (let at = 0; at < bytes.length; at += 4096) controller.enqueue(bytes.subarray(at, at + 4096));
          controller.close();
        },
      });
    const form = { "content-type": "application/x-www-form-urlencoded" };
    const atLimit = await postLogin({ body: stream(body(MAX_FORM_BYTES)), headers: form });
    expect(atLimit.status).toBe(403);
    const past = await postLogin({ body: stream(body(MAX_FORM_BYTES + 1)), headers: form });
    expect(past.status).toBe(413);
    expect(past.text).toContain(`a form here is at most ${MAX_FORM_BYTES} bytes; nobody was signed in.`);
    const farPast = await postLogin({ body: stream(body(4 * MAX_FORM_BYTES)), headers: form });
    expect(farPast.status).toBe(413);
  });
});

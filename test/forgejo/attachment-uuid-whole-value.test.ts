import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ForgejoReader } from "../../src/forgejo/reader.js";
import type { Attachment } from "../../src/forgejo/webhook-payloads.js";

// The attachment's uuid is the only part of the download path that comes from Forgejo's answer:
// the whole value must be a uuid, so nothing before it (a path of its choosing) reaches the request.
const BASE = "http://forgejo.internal:3000";
const UUID = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";
let seen: string[] = [];
const msw = setupServer(http.get(`${BASE}/*`, () => HttpResponse.arrayBuffer(new TextEncoder().encode("{}").buffer as ArrayBuffer)));
msw.events.on("request:start", ({ request }) => void seen.push(new URL(request.url).pathname));
beforeAll(() => msw.listen({ onUnhandledRequest: "error" }));
afterAll(() => msw.close());
beforeEach(() => void (seen = []));

const reader = () => new ForgejoReader({ baseUrl: new URL(BASE), token: "read-token", timeoutMs: 2000, maxBytes: 1 << 20, fetch, retryDelayMs: 1 });
const asset = (uuid: string): Attachment => ({ id: 7, name: "evidence-bundle.json", size: 2, uuid, browser_download_url: `${BASE}/attachments/${UUID}`, type: "attachment" });

describe("an attachment uuid with anything before the uuid", () => {
  it.each([`../../api/v1/admin/users/${UUID}`, `x${UUID}`, `/${UUID}`, ` ${UUID}`])("%s is refused without a request", async (uuid) => {
    await expect(reader().attachment(asset(uuid))).rejects.toMatchObject({ failure: "invalid_response", message: "attachment `evidence-bundle.json` has no valid uuid, so it cannot be read from the configured Forgejo" });
    expect(seen).toEqual([]);
  });

  it("the uuid alone is read, at attachments/{uuid}", async () => {
    expect(new TextDecoder().decode(await reader().attachment(asset(UUID)))).toBe("{}");
    expect(seen).toEqual([`/attachments/${UUID}`]);
  });
});

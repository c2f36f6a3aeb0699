import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ForgejoWriter } from "../../src/forgejo/writer.js";

// A Forgejo installed under a sub-path (ROOT_URL https://host/forgejo/) serves its API under that
// path. PATCHWARDEN_FORGEJO_URL may be written with or without the trailing slash: the writer posts
// under the sub-path either way, never to the host's root.
const HOST = "http://forge-host.test";
const SHA = "ef98532add3b2feb7a137426bba1248724367df5";
let seen: string[] = [];
const msw = setupServer(
  http.post(`${HOST}/forgejo/api/v1/repos/o/r/issues/3/comments`, () => HttpResponse.json({ id: 71, body: "text", html_url: `${HOST}/forgejo/o/r/issues/3#issuecomment-71` }, { status: 201 })),
  http.get(`${HOST}/forgejo/api/v1/repos/o/r/issues/3/comments`, () => HttpResponse.json([{ id: 71, body: "text", html_url: `${HOST}/forgejo/o/r/issues/3#issuecomment-71` }])),
  http.post(`${HOST}/forgejo/api/v1/repos/o/r/statuses/${SHA}`, () => HttpResponse.json({ id: 5 }, { status: 201 })),
  http.get(`${HOST}/forgejo/api/v1/repos/o/r/statuses/${SHA}`, () => HttpResponse.json([])),
);
msw.events.on("request:start", ({ request }) => void seen.push(new URL(request.url).pathname));
beforeAll(() => msw.listen({ onUnhandledRequest: "error" }));
afterAll(() => msw.close());
beforeEach(() => {
  seen = [];
});

const writer = (base: string) => new ForgejoWriter({ baseUrl: new URL(base), token: "write-token", timeoutMs: 2000, maxBytes: 1 << 20, fetch, retryDelayMs: 1 });

describe.each([`${HOST}/forgejo`, `${HOST}/forgejo/`])("a writer for a Forgejo at %s", (base) => {
  it("posts the comment and the status under the sub-path", async () => {
    expect(await writer(base).postComment("o/r", 3, "text")).toEqual({ id: 71, url: `${HOST}/forgejo/o/r/issues/3#issuecomment-71` });
    await writer(base).postStatus("o/r", SHA, { state: "pending", context: "patchwarden/gate", description: "needs_human" });
    expect(seen).toEqual(["/forgejo/api/v1/repos/o/r/issues/3/comments", `/forgejo/api/v1/repos/o/r/statuses/${SHA}`]);
  });

  it("looks for an earlier post under the sub-path", async () => {
    expect(await writer(base).findComment("o/r", 3, "text")).toEqual({ id: 71, url: `${HOST}/forgejo/o/r/issues/3#issuecomment-71` });
    expect(await writer(base).findStatus("o/r", SHA, "patchwarden/gate", "p_x")).toBe(false);
    expect(seen.every((path) => path.startsWith("/forgejo/api/v1/"))).toBe(true);
  });
});

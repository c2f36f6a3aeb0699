import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ForgejoReader } from "../../src/forgejo/reader.js";
import { ForgejoWriter } from "../../src/forgejo/writer.js";
import { FakeForgejo, FORGEJO_ORIGIN } from "../helpers/fake-forgejo.js";

const SHA = "ef98532add3b2feb7a137426bba1248724367df5";
const OURS = { state: "pending", context: "patchwarden/gate", description: "needs_human (proposal p_0123456789abcdef0123)" };
const STATUSES = `/api/v1/repos/o/r/statuses/${SHA}`;

let requests: string[] = [];
const fake = new FakeForgejo();
const msw = setupServer(
  // A server that says more follow and then sends nothing: not the end of the list.
  http.get(`${FORGEJO_ORIGIN}/api/v1/repos/o/lying/statuses/:sha`, ({ request }) => HttpResponse.json(new URL(request.url).searchParams.get("page") === "1" ? [{ id: 1, status: "success", context: "ci/build", description: "build" }] : [], { headers: { "x-hasmore": "true" } })),
  ...fake.handlers(),
);
msw.events.on("request:start", ({ request }) => void requests.push(new URL(request.url).pathname + new URL(request.url).search));
beforeAll(() => msw.listen({ onUnhandledRequest: "error" }));
afterAll(() => msw.close());
beforeEach(() => {
  requests = [];
  fake.statuses.clear();
  fake.maxResponseItems = 50;
  fake.violations.length = 0;
});
afterEach(() => expect(fake.violations).toEqual([]));

// `fetch` is read when a look-up is made: msw replaces it only once listening.
const options = () => ({ baseUrl: new URL(FORGEJO_ORIGIN), timeoutMs: 2000, maxBytes: 1 << 20, fetch, retryDelayMs: 1 });
const lookups = { reader: () => new ForgejoReader({ ...options(), token: "read" }), writer: () => new ForgejoWriter({ ...options(), token: "write" }) };

/** Our status, then `later` CI statuses posted on the same commit after it. */
function buried(later: number): void {
  fake.statuses.set(`o/r@${SHA}`, [OURS, ...Array.from({ length: later }, (_, i) => ({ state: "success", context: `ci/job-${i}`, description: "build" }))]);
}

describe.each(Object.entries(lookups))("a commit status look-up (%s) reads every page Forgejo has", (_name, lookup) => {
  it("finds the proposal's status under 60 later CI statuses, on the second page", async () => {
    buried(60);
    expect(await lookup().findStatus("o/r", SHA, "patchwarden/gate", "p_0123456789abcdef0123")).toBe(true);
    expect(requests).toEqual([`${STATUSES}?page=1&limit=50`, `${STATUSES}?page=2&limit=50`]);
  });

  it("stops at the first page when it is there (statuses come newest first)", async () => {
    buried(3);
    expect(await lookup().findStatus("o/r", SHA, "patchwarden/gate", "p_0123456789abcdef0123")).toBe(true);
    expect(requests).toHaveLength(1);
  });

  it("when Forgejo's page size is below the 50 asked for, a short page is not the last", async () => {
    fake.maxResponseItems = 20;
    buried(45);
    expect(await lookup().findStatus("o/r", SHA, "patchwarden/gate", "p_0123456789abcdef0123")).toBe(true);
    expect(requests).toHaveLength(3);
  });

  it("says it is not there only after an empty page (Forgejo sends no X-HasMore for statuses)", async () => {
    fake.statuses.set(`o/r@${SHA}`, Array.from({ length: 61 }, (_, i) => ({ state: "success", context: `ci/job-${i}`, description: "build" })));
    expect(await lookup().findStatus("o/r", SHA, "patchwarden/gate", "p_0123456789abcdef0123")).toBe(false);
    expect(requests).toEqual([`${STATUSES}?page=1&limit=50`, `${STATUSES}?page=2&limit=50`, `${STATUSES}?page=3&limit=50`]);
  });

  it("refuses a list that says more follow but sends an empty page, rather than say it is not there", async () => {
    await expect(lookup().findStatus("o/lying", SHA, "patchwarden/gate", "p_0123456789abcdef0123")).rejects.toMatchObject({ failure: "invalid_response", message: expect.stringMatching(/Forgejo says more statuses follow page 2 but sent none on it$/) });
  });
});

describe("the fake Forgejo lists statuses as Forgejo does", () => {
  it("newest first, 30 a page unless `limit` says otherwise, at most MAX_RESPONSE_ITEMS", async () => {
    buried(59);
    const get = async (query: string) => (await (await fetch(`${FORGEJO_ORIGIN}${STATUSES}${query}`)).json()) as Array<{ context: string }>;
    const first = await get("");
    expect(first).toHaveLength(30);
    expect(first[0]!.context).toBe("ci/job-58");
    // 60 in all: a `limit` of 100 is served as 50, so the second page holds the 10 oldest.
    const second = await get("?limit=100&page=2");
    expect(second.map((s) => s.context)).toEqual([...Array.from({ length: 9 }, (_, i) => `ci/job-${8 - i}`), "patchwarden/gate"]);
  });
});

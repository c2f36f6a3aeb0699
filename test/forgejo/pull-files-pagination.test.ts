import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeForgejo, FORGEJO_ORIGIN, testReader } from "../helpers/fake-forgejo.js";

const files = (n: number) => Array.from({ length: n }, (_, i) => ({ filename: `evidence/f${i}.bundle.json`, status: "added", additions: 1, deletions: 0, changes: 1 }));

/** A Forgejo whose [api] MAX_RESPONSE_ITEMS is `pageSize`, sending X-HasMore or not. */
function pages(all: ReturnType<typeof files>, pageSize: number, hasMoreHeader: boolean) {
  return ({ request }: { request: Request }) => {
    const page = Number(new URL(request.url).searchParams.get("page") ?? 1);
    const slice = all.slice((page - 1) * pageSize, page * pageSize);
    const headers: Record<string, string> = { "x-total-count": String(all.length) };
    if (hasMoreHeader) headers["x-hasmore"] = String(page * pageSize < all.length);
    return HttpResponse.json(slice, { headers });
  };
}

let requests: string[] = [];
const fake = new FakeForgejo();
const msw = setupServer(
  http.get(`${FORGEJO_ORIGIN}/api/v1/repos/o/r/pulls/1/files`, pages(files(45), 30, true)),
  http.get(`${FORGEJO_ORIGIN}/api/v1/repos/o/r/pulls/2/files`, pages(files(45), 30, false)),
  http.get(`${FORGEJO_ORIGIN}/api/v1/repos/o/r/pulls/3/files`, ({ request }) => HttpResponse.json(new URL(request.url).searchParams.get("page") === "1" ? files(30) : [], { headers: { "x-hasmore": "true" } })),
  http.get(`${FORGEJO_ORIGIN}/api/v1/repos/o/r/pulls/4/files`, pages(files(1200), 50, true)),
  ...fake.handlers(),
);
msw.events.on("request:start", ({ request }) => void requests.push(new URL(request.url).pathname + new URL(request.url).search));
beforeAll(() => msw.listen({ onUnhandledRequest: "error" }));
afterAll(() => msw.close());
beforeEach(() => void (requests = []));

const reader = () => testReader();

describe("a pull request's changed files, page by page", () => {
  it("reads every page when Forgejo's page size is below the 50 asked for (X-HasMore says more follow)", async () => {
    expect((await reader().pullFiles("o/r", 1)).length).toBe(45);
    expect(requests).toEqual(["/api/v1/repos/o/r/pulls/1/files?page=1&limit=50", "/api/v1/repos/o/r/pulls/1/files?page=2&limit=50"]);
  });

  it("without X-HasMore, reads on past short pages until an empty one", async () => {
    expect((await reader().pullFiles("o/r", 2)).map((f) => f.filename)).toEqual(files(45).map((f) => f.filename));
    expect(requests).toHaveLength(3);
  });

  it("refuses a list that says more follow but sends an empty page, rather than stopping short", async () => {
    await expect(reader().pullFiles("o/r", 3)).rejects.toMatchObject({ failure: "invalid_response", message: "changed files of o/r#3: Forgejo says more files follow page 2 but sent none on it" });
  });

  it("still refuses a pull request of more than 1000 files", async () => {
    await expect(reader().pullFiles("o/r", 4)).rejects.toMatchObject({ failure: "too_large", message: expect.stringMatching(/changes more than 1000 files/) });
  });

  it("the fake Forgejo serves at most MAX_RESPONSE_ITEMS a page, and every file is read", async () => {
    fake.maxResponseItems = 20;
    fake.issue("o/r", 5, { isPull: true, pullFiles: files(45).map(({ filename }) => ({ filename, status: "added" })) });
    expect((await reader().pullFiles("o/r", 5)).length).toBe(45);
    expect(requests).toHaveLength(3);
    expect(fake.violations).toEqual([]);
  });
});

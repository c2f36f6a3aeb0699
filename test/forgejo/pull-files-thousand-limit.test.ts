import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FORGEJO_ORIGIN, testReader } from "../helpers/fake-forgejo.js";

const files = (n: number) => Array.from({ length: n }, (_, i) => ({ filename: `evidence/f${i}.bundle.json`, status: "added" }));

/** A Forgejo serving `count` changed files `pageSize` a page, with X-HasMore or without it. */
function listing(count: number, pageSize: number, hasMoreHeader: boolean) {
  const all = files(count);
  return ({ request }: { request: Request }) => {
    const page = Number(new URL(request.url).searchParams.get("page") ?? 1);
    const headers: Record<string, string> = {};
    if (hasMoreHeader) headers["x-hasmore"] = String(page * pageSize < all.length);
    return HttpResponse.json(all.slice((page - 1) * pageSize, page * pageSize), { headers });
  };
}

const msw = setupServer(
  http.get(`${FORGEJO_ORIGIN}/api/v1/repos/o/r/pulls/10/files`, listing(1000, 50, true)),
  http.get(`${FORGEJO_ORIGIN}/api/v1/repos/o/r/pulls/11/files`, listing(1001, 50, true)),
  http.get(`${FORGEJO_ORIGIN}/api/v1/repos/o/r/pulls/12/files`, listing(1000, 1, false)),
  http.get(`${FORGEJO_ORIGIN}/api/v1/repos/o/r/pulls/13/files`, listing(1001, 1, false)),
);
beforeAll(() => msw.listen({ onUnhandledRequest: "error" }));
afterAll(() => msw.close());

const reader = () => testReader();

describe("a pull request's changed files at the 1000-file limit", () => {
  it("exactly 1000 files are read, every one", async () => {
    expect((await reader().pullFiles("o/r", 10)).map((f) => f.filename)).toEqual(files(1000).map((f) => f.filename));
  });

  it("1001 files are refused as too large, naming the limit", async () => {
    await expect(reader().pullFiles("o/r", 11)).rejects.toMatchObject({ failure: "too_large", message: "o/r#11 changes more than 1000 files; the gate does not read a pull request that large" });
  });

  it("a Forgejo serving one file a page without X-HasMore still gives all 1000, read to the empty page after them", async () => {
    expect(await reader().pullFiles("o/r", 12)).toHaveLength(1000);
  }, 60_000);

  it("and one serving 1001 that way is refused for the files, not for the pages", async () => {
    await expect(reader().pullFiles("o/r", 13)).rejects.toMatchObject({ failure: "too_large", message: "o/r#13 changes more than 1000 files; the gate does not read a pull request that large" });
  }, 60_000);
});

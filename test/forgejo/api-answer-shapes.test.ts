import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FORGEJO_ORIGIN, testReader } from "../helpers/fake-forgejo.js";

// Each answer below is served for the named repository; the reader must refuse the malformed ones as
// unreadable (never read a missing list as "nothing changed") and accept what Forgejo may leave out.
const BASE = "a".repeat(40);
const HEAD = "b".repeat(40);
const answers: Record<string, unknown> = {
  "compare-no-files": { total_commits: 2, commits: [] },
  "compare-file-no-name": { files: [{ status: "added" }], total_commits: 1 },
  "compare-ok": { files: [{ filename: "evidence/x.json", status: "added" }], total_commits: 1 },
  "pull-no-head": { number: 4, title: "no head" },
  "pull-null-head": { number: 4, head: null },
  "pull-head": { number: 4, head: { sha: HEAD } },
  "pull-head-string": { number: 4, head: "main" },
  "comments-fraction-id": [{ id: 1.5, body: "hi", user: { login: "someone" } }],
  "version-none": { name: "forgejo" },
};
const answer = ({ params }: { params: Record<string, string | readonly string[] | undefined> }) => HttpResponse.json(answers[String(params["repo"])] as object);
const msw = setupServer(
  http.get(`${FORGEJO_ORIGIN}/api/v1/repos/o/:repo/compare/*`, answer),
  http.get(`${FORGEJO_ORIGIN}/api/v1/repos/o/:repo/pulls/4`, answer),
  http.get(`${FORGEJO_ORIGIN}/api/v1/repos/o/:repo/issues/4/comments`, answer),
  http.get(`${FORGEJO_ORIGIN}/api/v1/version`, () => HttpResponse.json(answers["version-none"] as object)),
);
beforeAll(() => msw.listen({ onUnhandledRequest: "error" }));
afterAll(() => msw.close());

const reader = () => testReader();

describe("a compare answer", () => {
  it("without `files` is unreadable, not an empty change", async () => {
    await expect(reader().compareFiles("o/compare-no-files", BASE, HEAD)).rejects.toMatchObject({ failure: "invalid_response", message: expect.stringMatching(/^compare aaaaaaaaaaaa\.\.\.bbbbbbbbbbbb: unexpected response shape at `files`/) });
  });

  it("with a file that has no filename is unreadable", async () => {
    await expect(reader().compareFiles("o/compare-file-no-name", BASE, HEAD)).rejects.toMatchObject({ failure: "invalid_response", message: expect.stringMatching(/unexpected response shape at `files\.0\.filename`/) });
  });

  it("with its files is read", async () => {
    expect(await reader().compareFiles("o/compare-ok", BASE, HEAD)).toEqual([{ filename: "evidence/x.json", status: "added" }]);
  });
});

describe("a pull request's head", () => {
  it("left out, or null, is no head (null), not an unreadable answer", async () => {
    expect(await reader().pullHead("o/pull-no-head", 4)).toBeNull();
    expect(await reader().pullHead("o/pull-null-head", 4)).toBeNull();
    expect(await reader().pullHead("o/pull-head", 4)).toBe(HEAD);
  });

  it("that is not an object is unreadable, not read as no head", async () => {
    await expect(reader().pullHead("o/pull-head-string", 4)).rejects.toMatchObject({ failure: "invalid_response", message: expect.stringMatching(/^pull request o\/pull-head-string#4: unexpected response shape at `head`/) });
  });
});

describe("other answers the gate reads", () => {
  it("a comment id that is not a whole number is unreadable", async () => {
    await expect(reader().issueComments("o/comments-fraction-id", 4)).rejects.toMatchObject({ failure: "invalid_response", message: expect.stringMatching(/^comments of o\/comments-fraction-id#4: unexpected response shape at `0\.id`/) });
  });

  it("a version answer without `version` is unreadable", async () => {
    await expect(reader().version()).rejects.toMatchObject({ failure: "invalid_response", message: expect.stringMatching(/^version: unexpected response shape at `version`/) });
  });
});

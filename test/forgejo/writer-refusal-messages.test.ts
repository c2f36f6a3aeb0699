import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ForgejoWriter } from "../../src/forgejo/writer.js";
import { FORGEJO_ORIGIN } from "../helpers/fake-forgejo.js";

const SHA = "ef98532add3b2feb7a137426bba1248724367df5";

// Each repository name picks the answer Forgejo gives, for posts and look-ups alike.
const answers: Record<string, () => Response> = {
  blank: () => HttpResponse.json({ message: "   \t " }, { status: 500 }),
  empty: () => HttpResponse.json({ message: "" }, { status: 502 }),
  worded: () => HttpResponse.json({ message: "database is locked" }, { status: 500 }),
  nomessage: () => HttpResponse.json({ url: "http://forgejo.test/api/swagger" }, { status: 500 }),
  forbidden: () => HttpResponse.json({ message: "token does not have at least one of required scope(s)" }, { status: 403 }),
  missing: () => HttpResponse.json({ message: "not found" }, { status: 404 }),
};
const answer = ({ params }: { params: Record<string, string | readonly string[] | undefined> }) => answers[String(params["repo"])]!();
const msw = setupServer(
  http.post(`${FORGEJO_ORIGIN}/api/v1/repos/o/:repo/issues/:number/comments`, answer),
  http.get(`${FORGEJO_ORIGIN}/api/v1/repos/o/:repo/issues/:number/comments`, answer),
  http.post(`${FORGEJO_ORIGIN}/api/v1/repos/o/:repo/statuses/:sha`, answer),
  http.get(`${FORGEJO_ORIGIN}/api/v1/repos/o/:repo/statuses/:sha`, answer),
);
beforeAll(() => msw.listen({ onUnhandledRequest: "error" }));
afterAll(() => msw.close());

const writer = () => new ForgejoWriter({ baseUrl: new URL(FORGEJO_ORIGIN), token: "write-token", timeoutMs: 2000, maxBytes: 1 << 20, fetch, retryDelayMs: 1 });
const status = { state: "pending", context: "patchwarden/gate", description: "needs_human" };

describe("a writer quotes Forgejo's own message only when it says something", () => {
  it("a message of whitespace alone is not quoted", async () => {
    await expect(writer().postComment("o/blank", 3, "text")).rejects.toMatchObject({ failure: "http", status: 500, message: "posting the comment on o/blank#3: Forgejo answered 500" });
  });

  it("an empty message, or none, is not quoted either", async () => {
    await expect(writer().postStatus("o/empty", SHA, status)).rejects.toThrow(/^posting the status on o\/empty@ef98532add3b: Forgejo answered 502$/);
    await expect(writer().postComment("o/nomessage", 3, "text")).rejects.toThrow(/^posting the comment on o\/nomessage#3: Forgejo answered 500$/);
  });

  it("a message with words is quoted as Forgejo said it", async () => {
    await expect(writer().postComment("o/worded", 3, "text")).rejects.toThrow(/^posting the comment on o\/worded#3: Forgejo answered 500 \(`database is locked`\)$/);
  });
});

describe("a refused status look-up names the scope a status needs, and the commit by its short id", () => {
  it("403 on reading the statuses: write:repository, not write:issue", async () => {
    await expect(writer().findStatus("o/forbidden", SHA, "patchwarden/gate", "p_x")).rejects.toMatchObject({
      status: 403,
      message: "reading the statuses of o/forbidden@ef98532add3b: Forgejo refused the write token (403); PATCHWARDEN_FORGEJO_WRITE_TOKEN needs repository write access (commit statuses) (write:repository)",
    });
  });

  it("403 on reading the comments: write:issue", async () => {
    await expect(writer().findComment("o/forbidden", 3, "text")).rejects.toThrow(
      "reading the comments of o/forbidden#3: Forgejo refused the write token (403); PATCHWARDEN_FORGEJO_WRITE_TOKEN needs issue write access (write:issue)",
    );
  });

  it("404 on reading the statuses: names the commit by its first 12 digits", async () => {
    await expect(writer().findStatus("o/missing", SHA, "patchwarden/gate", "p_x")).rejects.toMatchObject({
      status: 404,
      message: "reading the statuses of o/missing@ef98532add3b: not found (404); check that it still exists and that the write token (PATCHWARDEN_FORGEJO_WRITE_TOKEN) may see the repository",
    });
  });
});

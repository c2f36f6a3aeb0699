import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ForgejoReader } from "../../src/forgejo/reader.js";
import { FORGEJO_ORIGIN } from "../helpers/fake-forgejo.js";

// Issue 3 answers with each status the test names; the body is always a well-formed issue, so only
// the status tells a read that worked from one that did not.
const issue = { number: 3, body: "evidence", assets: [], pull_request: null };
const msw = setupServer(http.get(`${FORGEJO_ORIGIN}/api/v1/repos/o/:repo/issues/3`, ({ params }) => HttpResponse.json(issue, { status: Number(String(params["repo"]).slice(1)) })));
beforeAll(() => msw.listen({ onUnhandledRequest: "error" }));
afterAll(() => msw.close());

const reader = (token: string | undefined) => new ForgejoReader({ baseUrl: new URL(FORGEJO_ORIGIN), token, timeoutMs: 2000, maxBytes: 1 << 20, fetch, retryDelayMs: 1 });

describe("the reader with a read token", () => {
  it("403: says the read token was refused and what access to give it", async () => {
    await expect(reader("read-token").issue("o/s403", 3)).rejects.toMatchObject({
      failure: "http",
      status: 403,
      message: "issue o/s403#3: Forgejo refused the read token (403); give PATCHWARDEN_FORGEJO_TOKEN read access to the repository",
    });
  });

  it("403 without a token: says none was sent", async () => {
    await expect(reader(undefined).issue("o/s403", 3)).rejects.toMatchObject({ status: 403, message: expect.stringMatching(/^issue o\/s403#3: Forgejo refused to answer without a token \(403\); PATCHWARDEN_FORGEJO_TOKEN is not set/) });
  });
});

describe("an answer outside 2xx is never read as the resource, whatever its body", () => {
  it.each([300, 304, 400, 410, 451])("%i is refused", async (status) => {
    await expect(reader("read-token").issue(`o/s${status}`, 3)).rejects.toMatchObject({ failure: "http", status, message: `issue o/s${status}#3: Forgejo answered ${status}` });
  });

  it("200 is read", async () => {
    expect(await reader("read-token").issue("o/s200", 3)).toMatchObject({ number: 3, body: "evidence" });
  });
});

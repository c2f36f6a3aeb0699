import { afterEach, describe, expect, it } from "vitest";
import { FORGEJO_ORIGIN, useFakeForgejo } from "../helpers/fake-forgejo.js";

// The fake recorded a request its contract flagged in `violations` and then served it as if it were
// fine, and most tests never read `violations`: an empty comment was posted with 201 where Forgejo
// answers 422. Now it refuses such a request with 422 and the problems, and useFakeForgejo fails a
// test whose fake recorded any.
describe("the fake refuses a request its contract flags, as Forgejo would", () => {
  const forgejo = useFakeForgejo();
  const comment = (body: string | undefined) =>
    fetch(`${FORGEJO_ORIGIN}/api/v1/repos/o/r/issues/3/comments`, { method: "POST", headers: { "content-type": "application/json", authorization: "token t" }, ...(body === undefined ? {} : { body }) });
  let expected: string[] = [];
  // Runs before useFakeForgejo's check (hooks run in reverse): these requests are off-spec on purpose.
  afterEach(() => {
    expect(forgejo.fake.violations).toEqual(expected);
    forgejo.fake.violations.length = 0;
  });

  it("an empty comment body: 422 with the problems, recorded, and nothing posted", async () => {
    forgejo.fake.issue("o/r", 3);
    forgejo.fake.writesAllowed = true;
    const response = await comment(JSON.stringify({ body: "" }));
    expected = ["v15.0.3", "v11.0.15-lts"].map((label) => `${label}: POST /repos/{owner}/{repo}/issues/{index}/comments body: /body must NOT have fewer than 1 characters`);
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ message: expected.join("; "), url: "" });
    expect(forgejo.fake.posted).toEqual([]);
  });

  it("a comment with no body at all: 422, and nothing posted", async () => {
    forgejo.fake.issue("o/r", 3);
    forgejo.fake.writesAllowed = true;
    const response = await comment(undefined);
    const operation = "POST /repos/{owner}/{repo}/issues/{index}/comments";
    expected = ["v15.0.3", "v11.0.15-lts"].flatMap((label) => [`${label}: ${operation} needs a JSON body`, `${label}: ${operation} body: (root) must have required property 'body'`]);
    expect(response.status).toBe(422);
    expect(forgejo.fake.posted).toEqual([]);
  });

  it("a request that fits is served", async () => {
    forgejo.fake.issue("o/r", 3);
    forgejo.fake.writesAllowed = true;
    expected = [];
    const response = await comment(JSON.stringify({ body: "hello" }));
    expect(response.status).toBe(201);
    expect(forgejo.fake.posted).toEqual([expect.objectContaining({ repo: "o/r", number: 3, body: "hello" })]);
  });
});

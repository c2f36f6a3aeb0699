import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { ForgejoError, mayPassLater } from "../../src/forgejo/forgejo-error.js";
import { ForgejoReader } from "../../src/forgejo/reader.js";
import { ForgejoWriter } from "../../src/forgejo/writer.js";
import { FakeForgejo, FORGEJO_ORIGIN, startMsw } from "../helpers/fake-forgejo.js";

// Forgejo's API description lists 404 and 423 (an archived repository) for posting a comment, and
// 404 for reading the comments and posting a status: each is said with what to fix, since asking
// again once Forgejo answers can never get past them.
const fake = new FakeForgejo();
const msw = startMsw(fake);
afterAll(() => msw.close());
beforeEach(() => {
  fake.writesAllowed = true;
  fake.failure = null;
  fake.violations.length = 0;
});
const http = { baseUrl: new URL(FORGEJO_ORIGIN), timeoutMs: 2000, maxBytes: 1 << 20, fetch, retryDelayMs: 1 };
const writer = () => new ForgejoWriter({ ...http, token: "write-token" });

describe("the writer says what each refusal Forgejo lists needs", () => {
  it("423 on posting a comment: the repository is archived; un-archive it or reject the proposal", async () => {
    fake.issue("o/r", 3);
    fake.failure = 423;
    await expect(writer().postComment("o/r", 3, "text")).rejects.toThrow("posting the comment on o/r#3: the repository is archived (423), so nothing can be posted to it; un-archive it in Forgejo, or reject the proposal");
  });

  it("404 on posting a comment, and on the look-up before it: not found, and the write token named", async () => {
    const notFound = "not found (404); check that it still exists and that the write token (PATCHWARDEN_FORGEJO_WRITE_TOKEN) may see the repository";
    await expect(writer().postComment("o/r", 9, "text")).rejects.toThrow(`posting the comment on o/r#9: ${notFound}`);
    await expect(writer().findComment("o/r", 9, "text")).rejects.toThrow(`reading the comments of o/r#9: ${notFound}`);
  });

  it("any other status quotes Forgejo's own message, sanitised", async () => {
    fake.issue("o/r", 3);
    fake.failure = 500;
    await expect(writer().postComment("o/r", 3, "text")).rejects.toThrow("posting the comment on o/r#3: Forgejo answered 500 (`injected failure`)");
  });
});

describe("the reader without a token", () => {
  const reader = () => new ForgejoReader({ ...http, token: undefined });

  it("401: says no token was sent and which one to set, not that one was refused", async () => {
    fake.issue("o/r", 3);
    fake.failure = 401;
    await expect(reader().issue("o/r", 3)).rejects.toThrow(
      "Forgejo refused to answer without a token (401); PATCHWARDEN_FORGEJO_TOKEN is not set, and this Forgejo asks for one: set it to a token with read access to the repository (read:repository, read:issue)",
    );
  });

  it("404: a private repository looks missing without a token, so it says to set one", async () => {
    await expect(reader().issue("o/r", 9)).rejects.toThrow("not found (404); check that it exists and that it is public, or set PATCHWARDEN_FORGEJO_TOKEN to a token that may read it");
  });

  it("with a token, a 401 still says the token was refused", async () => {
    fake.issue("o/r", 3);
    fake.failure = 401;
    await expect(new ForgejoReader({ ...http, token: "read-token" }).issue("o/r", 3)).rejects.toThrow("Forgejo refused the read token (401); give PATCHWARDEN_FORGEJO_TOKEN read access to the repository");
  });
});

describe("whether asking again later may pass by itself (the CLI's advice)", () => {
  it("only for Forgejo unreachable, slow, busy or failing; a 404, 422 or 423 needs something fixed first", () => {
    const later = (failure: ConstructorParameters<typeof ForgejoError>[0], status?: number) => mayPassLater(new ForgejoError(failure, "x", status));
    expect([later("unreachable"), later("timeout"), later("http", 500), later("http", 503), later("http", 429), later("http", 408)]).toEqual([true, true, true, true, true, true]);
    expect([later("http", 404), later("http", 422), later("http", 423), later("http", 401), later("too_large"), later("invalid_response"), later("foreign_origin")]).toEqual([false, false, false, false, false, false, false]);
  });
});

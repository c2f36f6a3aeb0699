import { describe, expect, it } from "vitest";
import { ForgejoWriter } from "../../src/forgejo/writer.js";
import { FORGEJO_ORIGIN } from "../helpers/fake-forgejo.js";

// The only write path to Forgejo never posts without the operator's write token: an unset token is
// refused before any request, and the refusal names the variable to set.
describe("a writer without a write token", () => {
  it("cannot be made, and says to set PATCHWARDEN_FORGEJO_WRITE_TOKEN", () => {
    let asked = 0;
    const counting = ((...args: Parameters<typeof fetch>) => {
      asked++;
      return fetch(...args);
    }) as typeof fetch;
    expect(() => new ForgejoWriter({ baseUrl: new URL(FORGEJO_ORIGIN), token: undefined, timeoutMs: 2000, maxBytes: 1 << 20, fetch: counting, retryDelayMs: 1 })).toThrow(
      "a ForgejoWriter needs PATCHWARDEN_FORGEJO_WRITE_TOKEN",
    );
    expect(asked).toBe(0);
  });

  it("can be made with one", () => {
    expect(() => new ForgejoWriter({ baseUrl: new URL(FORGEJO_ORIGIN), token: "write-token", timeoutMs: 2000, maxBytes: 1 << 20, fetch, retryDelayMs: 1 })).not.toThrow();
  });
});

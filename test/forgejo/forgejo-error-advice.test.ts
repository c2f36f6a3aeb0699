import { describe, expect, it } from "vitest";
import { againWhen, ForgejoError } from "../../src/forgejo/forgejo-error.js";

describe("the advice on when to run a command again after a Forgejo failure", () => {
  it("a timeout or an unreachable Forgejo may pass by itself: once Forgejo answers", () => {
    expect(againWhen(new ForgejoError("timeout", "GET /api/v1/version timed out"))).toBe("once Forgejo answers");
    expect(againWhen(new ForgejoError("unreachable", "Forgejo is unreachable"))).toBe("once Forgejo answers");
    expect(againWhen(new ForgejoError("http", "answered 502", 502))).toBe("once Forgejo answers");
  });

  it("a refusal, a missing issue or an unreadable answer needs something fixed first", () => {
    expect(againWhen(new ForgejoError("http", "answered 403", 403))).toBe("once that is fixed");
    expect(againWhen(new ForgejoError("http", "answered 499", 499))).toBe("once that is fixed");
    expect(againWhen(new ForgejoError("invalid_response", "not JSON"))).toBe("once that is fixed");
  });

  it("is an Error named ForgejoError, carrying its failure, message and status", () => {
    const error = new ForgejoError("http", "posting the comment on o/r#3: Forgejo answered 500", 500);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("ForgejoError");
    expect(String(error)).toBe("ForgejoError: posting the comment on o/r#3: Forgejo answered 500");
    expect({ failure: error.failure, status: error.status }).toEqual({ failure: "http", status: 500 });
  });
});

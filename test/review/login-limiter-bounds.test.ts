import { describe, expect, it } from "vitest";
import { LoginLimiter } from "../../src/server/review/login-limiter.js";

describe("the sign-in limiter under a flood of addresses", () => {
  it("forgets addresses whose windows all ended before any address still locked out", () => {
    // Two addresses tracked at most; a window of 60 s, two failures each.
    const limiter = new LoginLimiter(2, 60_000, 2);
    // The first address seen is locked out in a window renewed later, so it is still the oldest entry.
    expect(limiter.attempt("10.0.0.1", "alice", 0).ok).toBe(true);
    expect(limiter.attempt("10.0.0.2", "alice", 10_000).ok).toBe(true);
    expect(limiter.attempt("10.0.0.1", "alice", 65_000).ok).toBe(true);
    expect(limiter.attempt("10.0.0.1", "alice", 65_000).ok).toBe(true);
    expect(limiter.attempt("10.0.0.1", "alice", 75_000)).toEqual({ ok: false, retryAfterMs: 50_000 });
    // 10.0.0.2's window ended at 70 s: a third address costs it, not the locked one.
    expect(limiter.attempt("10.0.0.3", "alice", 80_000).ok).toBe(true);
    expect(limiter.attempt("10.0.0.1", "alice", 80_000)).toEqual({ ok: false, retryAfterMs: 45_000 });
    expect(limiter["addresses"].size).toBe(2);
  });

  it("never tracks more addresses than its bound", () => {
    const limiter = new LoginLimiter(2, 60_000, 3);
    for (let i = 0; i < 10; i++) {
      limiter.attempt(`10.0.0.${i}`, "alice", 0);
      expect(limiter["addresses"].size).toBeLessThanOrEqual(3);
    }
    expect([...limiter["addresses"].keys()]).toEqual(["10.0.0.7", "10.0.0.8", "10.0.0.9"]);
  });

  it("lets a login try again at the very millisecond its window ends", () => {
    const limiter = new LoginLimiter(1, 60_000);
    expect(limiter.attempt("10.0.0.1", "alice", 0).ok).toBe(true);
    expect(limiter.attempt("10.0.0.1", "alice", 59_999)).toEqual({ ok: false, retryAfterMs: 1 });
    expect(limiter.attempt("10.0.0.1", "alice", 60_000).ok).toBe(true);
    expect(limiter.attempt("10.0.0.1", "alice", 60_001)).toEqual({ ok: false, retryAfterMs: 59_999 });
  });
});

import { describe, expect, it } from "vitest";
import { activeLeases, isExpired, leasesOn, type Lease } from "../../src/locks/lease-state.js";

// "An unreadable expiry counts as never expiring": read as expired instead, it would end the
// lock, and a second repair of the target would be approved beside the first.
const lease = (expires_at: string): Lease => ({ lock_id: "lk-000000000001", repair_target: { host: "iskra" }, owner: "alice", reason: "restart", acquired_at: "2026-11-21T12:00:00.000Z", acquired_seq: 1, expires_at });
const NOW = Date.parse("2026-11-21T12:30:00Z");

describe("a lease whose expiry cannot be read", () => {
  it("baseline: a readable expiry in the past has expired, one in the future has not", () => {
    expect(isExpired(lease("2026-11-21T12:00:00.000Z"), NOW)).toBe(true);
    expect(isExpired(lease("2026-11-21T14:00:00.000Z"), NOW)).toBe(false);
  });

  it("never expires: it holds its target", () => {
    for (const expiry of ["not a time", "2026-02-30T12:00:00.000Z", ""]) {
      expect(isExpired(lease(expiry), NOW), expiry).toBe(false);
      expect(activeLeases([lease(expiry)], NOW), expiry).toHaveLength(1);
      expect(leasesOn([lease(expiry)], { host: "iskra" }, NOW).active, expiry).toHaveLength(1);
    }
  });
});

// formatIsoTime writes what Date#toISOString writes, also past year 9999, and a time that is no
// instant at all as "unplaceable" rather than as digits.
import { describe, expect, it } from "vitest";
import { formatIsoTime } from "../../src/time/iso-time.js";

describe("formatIsoTime", () => {
  it("writes a time that is not finite as unplaceable", () => {
    expect(formatIsoTime(Number.POSITIVE_INFINITY)).toBe("unplaceable");
    expect(formatIsoTime(Number.NEGATIVE_INFINITY)).toBe("unplaceable");
    expect(formatIsoTime(Number.NaN)).toBe("unplaceable");
  });

  it("writes years past 9999 in the expanded form Date#toISOString uses", () => {
    const time = Date.UTC(10_000, 0, 1, 12, 0, 0, 5);
    expect(formatIsoTime(time)).toBe(new Date(time).toISOString());
    expect(formatIsoTime(time)).toBe("+010000-01-01T12:00:00.005Z");
    expect(formatIsoTime(Date.UTC(9999, 11, 31, 23, 59, 59, 999))).toBe("9999-12-31T23:59:59.999Z");
  });
});

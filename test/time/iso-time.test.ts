import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "../../src/time/duration.js";
import { formatIsoTime, parseIsoTime } from "../../src/time/iso-time.js";

describe("ISO times", () => {
  it("agrees with Date.parse and Date#toISOString on every instant from year 1 to 9999", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1, 0, 1), max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) }), (ms) => {
        const text = new Date(ms).toISOString();
        return formatIsoTime(ms) === text && parseIsoTime(text) === ms;
      }),
      { numRuns: 5000 },
    );
  });

  it("honours offsets and truncates digits finer than milliseconds", () => {
    expect(parseIsoTime("2026-11-21T05:44:47+01:00")).toBe(Date.parse("2026-11-21T04:44:47Z"));
    expect(parseIsoTime("2026-11-21T00:30:00-05:30")).toBe(Date.parse("2026-11-21T06:00:00Z"));
    expect(parseIsoTime("2026-11-21T04:44:47.123456789Z")).toBe(Date.parse("2026-11-21T04:44:47.123Z"));
    expect(parseIsoTime("2026-11-21T04:44:47.5Z")).toBe(Date.parse("2026-11-21T04:44:47.500Z"));
  });

  it("refuses zoneless, impossible and sloppy times", () => {
    for (const text of ["2026-11-21T04:44:47", "2026-11-21 04:44:47Z", "2026-11-21T04:44Z", "2026-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-11-21T24:00:00Z", "2026-11-21T04:60:00Z", "2026-11-21T04:44:47+24:00", "2026-11-21T04:44:47z", "2026-11-21T04:44:47+0100", "", "yesterday"]) {
      expect(parseIsoTime(text), text).toBeNull();
    }
    expect(parseIsoTime("2028-02-29T00:00:00Z")).toBe(Date.parse("2028-02-29T00:00:00Z"));
    expect(parseIsoTime("2000-02-29T00:00:00Z")).toBe(Date.parse("2000-02-29T00:00:00Z"));
    expect(parseIsoTime("2100-02-29T00:00:00Z")).toBeNull();
  });
});

describe("durations", () => {
  it("parses the policy's forms and refuses the rest", () => {
    expect(parseDuration("90s")).toBe(90);
    expect(parseDuration("15m")).toBe(900);
    expect(parseDuration("1h30m")).toBe(5400);
    expect(parseDuration("7d")).toBe(604_800);
    for (const text of ["", "0s", "1.5h", "1h 30m", "30m1h", "-5m", "10", "1w"]) expect(parseDuration(text), text).toBeNull();
  });

  it("formats back to the shortest exact form", () => {
    expect(formatDuration(5400)).toBe("1h30m");
    expect(formatDuration(913.4)).toBe("15m13s");
    expect(formatDuration(0)).toBe("0s");
    expect(formatDuration(-120)).toBe("-2m");
    fc.assert(fc.property(fc.integer({ min: 1, max: 10_000_000 }), (s) => parseDuration(formatDuration(s)) === s));
  });
});

describe("formatIsoTime of a file time", () => {
  it("writes whole milliseconds when the time has a fraction of one (mtimeMs)", () => {
    const ms = Date.parse("2026-11-22T02:15:55.350Z");
    expect(formatIsoTime(ms + 0.6494140625)).toBe("2026-11-22T02:15:55.350Z");
    expect(formatIsoTime(ms - 0.25)).toBe("2026-11-22T02:15:55.349Z");
  });
});

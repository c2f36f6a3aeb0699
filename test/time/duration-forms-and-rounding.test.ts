import { describe, expect, it } from "vitest";
import { formatDuration, looksLikeDuration, parseDuration } from "../../src/time/duration.js";

describe("parseDuration refuses what is not exactly a duration", () => {
  it.each(["d", "d1h", "1hm", "h30m", "1d2h3ms", "x1h", "1h30m ", " 1h"])("refuses %j", (text) => {
    expect(parseDuration(text)).toBeNull();
  });

  it("refuses a duration too large to count exactly in seconds", () => {
    expect(parseDuration("99999999999999999999d")).toBeNull();
    expect(parseDuration("104249991374d")).toBe(104_249_991_374 * 86_400);
  });
});

describe("looksLikeDuration", () => {
  it("says an empty text is not written as a duration, and a too-large one is", () => {
    expect(looksLikeDuration("")).toBe(false);
    expect(looksLikeDuration("99999999999999999999d")).toBe(true);
    expect(looksLikeDuration("1w")).toBe(false);
  });
});

describe("formatDuration", () => {
  it("rounds a fraction of a second to the nearest second", () => {
    expect(formatDuration(913.6)).toBe("15m14s");
    expect(formatDuration(59.5)).toBe("1m");
    expect(formatDuration(-90.7)).toBe("-1m31s");
  });

  it("writes each unit at its size", () => {
    expect(formatDuration(86_400)).toBe("1d");
    expect(formatDuration(2 * 86_400 + 3_600 + 60 + 1)).toBe("2d1h1m1s");
  });
});

// parseIsoTime reads only `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`: a time that is nearly that
// form, or that names an instant no clock shows, is refused rather than read some other way.
import { describe, expect, it } from "vitest";
import { parseIsoTime } from "../../src/time/iso-time.js";

describe("parseIsoTime near misses", () => {
  it.each([
    ["a leap second", "2026-12-31T23:59:60Z"],
    ["a fraction point without digits", "2026-11-21T04:44:47.Z"],
    ["an offset of 60 minutes", "2026-11-21T04:44:47+01:60"],
    ["text after the offset", "2026-11-21T04:44:47+01:00junk"],
    ["text after the Z", "2026-11-21T04:44:47Zjunk"],
    ["a dash between the offset's hours and minutes", "2026-11-21T04:44:47+01-00"],
    ["a slash before the day", "2026-11/21T04:44:47Z"],
    ["a dash between the hour and the minute", "2026-11-21T04-44:47Z"],
    ["month zero", "2026-00-10T04:44:47Z"],
    ["day zero", "2026-11-00T04:44:47Z"],
  ])("refuses %s", (_what, text) => {
    expect(parseIsoTime(text)).toBeNull();
  });

  it("still reads the nearest valid forms", () => {
    expect(parseIsoTime("2026-12-31T23:59:59Z")).toBe(Date.parse("2026-12-31T23:59:59Z"));
    expect(parseIsoTime("2026-11-21T04:44:47.0Z")).toBe(Date.parse("2026-11-21T04:44:47Z"));
    expect(parseIsoTime("2026-11-21T04:44:47+01:59")).toBe(Date.parse("2026-11-21T02:45:47Z"));
  });
});

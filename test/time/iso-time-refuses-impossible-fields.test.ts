// parseIsoTime reads fixed positions; every field must be digits, every separator the right
// character, and every month its own length, or the time is refused (a gate cannot place it).
import { describe, expect, it } from "vitest";
import { formatIsoTime, parseIsoTime } from "../../src/time/iso-time.js";

describe("parseIsoTime refuses impossible and malformed fields", () => {
  it("refuses month 13", () => {
    expect(parseIsoTime("2026-13-01T00:00:00Z")).toBeNull();
  });

  it.each([
    ["January", "2026-01-32"],
    ["February", "2026-02-29"],
    ["March", "2026-03-32"],
    ["April", "2026-04-31"],
    ["May", "2026-05-32"],
    ["June", "2026-06-31"],
    ["July", "2026-07-32"],
    ["August", "2026-08-32"],
    ["September", "2026-09-31"],
    ["October", "2026-10-32"],
    ["November", "2026-11-31"],
    ["December", "2026-12-32"],
  ])("refuses the day after the last of %s, and reads the last", (_month, dayAfter) => {
    expect(parseIsoTime(`${dayAfter}T00:00:00Z`), dayAfter).toBeNull();
    const last = `${dayAfter.slice(0, 8)}${String(Number(dayAfter.slice(8)) - 1).padStart(2, "0")}T00:00:00Z`;
    expect(parseIsoTime(last), last).toBe(Date.parse(last));
  });

  it.each([
    ["the year", "20x6-11-21T04:44:47Z"],
    ["the month", "2026-1x-21T04:44:47Z"],
    ["the day", "2026-11-2xT04:44:47Z"],
    ["the hour", "2026-11-21T0x:44:47Z"],
    ["the minute", "2026-11-21T04:4x:47Z"],
    ["the second", "2026-11-21T04:44:4xZ"],
    ["the offset hours", "2026-11-21T04:44:47+0x:00"],
    ["the offset minutes", "2026-11-21T04:44:47+01:0x"],
  ])("refuses a letter in %s", (_field, text) => {
    expect(parseIsoTime(text)).toBeNull();
  });

  it.each([
    ["a slash after the year", "2026/11-21T04:44:47Z"],
    ["a dot between the minute and the second", "2026-11-21T04:44.47Z"],
    ["a minute of 60", "2026-11-21T04:60:00Z"],
  ])("refuses %s", (_what, text) => {
    expect(parseIsoTime(text)).toBeNull();
  });
});

describe("formatIsoTime of a time before 1970 with a fraction of a millisecond", () => {
  it("rounds down to the earlier whole millisecond, as it does after 1970", () => {
    expect(formatIsoTime(-0.5)).toBe("1969-12-31T23:59:59.999Z");
    expect(formatIsoTime(Date.parse("1969-07-20T20:17:40.000Z") - 0.25)).toBe("1969-07-20T20:17:39.999Z");
  });
});

// A TOML date (read as a Date) is a value, not a table: code that walks tables must not take it
// for one. Lists are not records either.
import { describe, expect, it } from "vitest";
import { isRecord, listOf } from "../../src/document/is-record.js";

describe("isRecord", () => {
  it("is true only for a plain object as a parsed document holds it", () => {
    expect(isRecord({ a: 1 })).toBe(true);
    expect(isRecord(Object.create(null))).toBe(true);
    expect(isRecord(new Date("2026-11-21T00:00:00Z"))).toBe(false);
    expect(isRecord([])).toBe(false);
    expect(isRecord(null)).toBe(false);
    expect(isRecord("table")).toBe(false);
  });

  it("gives a list back as it is, and anything else as an empty list", () => {
    const list = [1, 2];
    expect(listOf(list)).toBe(list);
    expect(listOf({ 0: "a", length: 1 })).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { formatDiagnostic, formatPath, quote } from "../../src/diagnostics/diagnostic.js";

describe("values echoed back in messages", () => {
  it("name what is not text plainly rather than printing it", () => {
    expect(quote(null)).toBe("`null`");
    expect(quote(undefined)).toBe("nothing");
    expect(quote([1, 2])).toBe("a list");
    expect(quote({ a: 1 })).toBe("an object");
    expect(quote(42)).toBe("`42`");
    expect(quote(false)).toBe("`false`");
  });

  it("keep a value of exactly the limit whole and cut one character longer", () => {
    expect(quote("x".repeat(80))).toBe(`\`${"x".repeat(80)}\``);
    expect(quote("x".repeat(81))).toBe(`\`${"x".repeat(80)}…\``);
  });

  it("cut before a character beyond U+FFFF that straddles the limit, never through it", () => {
    // 😀 is two UTF-16 units; at units 80 and 81 a cut at 80 would keep half of it.
    expect(quote(`${"x".repeat(79)}😀y`)).toBe(`\`${"x".repeat(79)}…\``);
    expect(quote(`${"x".repeat(78)}😀y`)).toBe(`\`${"x".repeat(78)}😀…\``);
    expect(formatPath("p", [`${"k".repeat(79)}😀!`])).toBe(`p["${"k".repeat(79)}…"]`);
    expect(quote("abcd", 4)).toBe("`abcd`");
    expect(quote("abcde", 4)).toBe("`abcd…`");
  });

  it("cannot close its code span or start a new line", () => {
    expect(quote("a`b")).toBe("`a'b`");
    const echoed = quote("one\ntwo\u202ethree");
    expect(echoed).not.toMatch(/[\n\u202e]/);
    expect(echoed.startsWith("`one")).toBe(true);
  });
});

describe("paths in diagnostics", () => {
  it("write bare words (letters, digits, `_` and `-`) after a dot, and indexes in brackets", () => {
    expect(formatPath("policy", ["repair_classes", "gateway-restart", "requires", 1])).toBe("policy.repair_classes.gateway-restart.requires[1]");
    expect(formatPath("bundle", [])).toBe("bundle");
  });

  it("quote any other key in brackets, so that a key cannot pass for a longer path", () => {
    expect(formatPath("case", ["has space"])).toBe('case["has space"]');
    expect(formatPath("case", ["1st"])).toBe('case["1st"]');
    expect(formatPath("case", ["ok", "trailing!"])).toBe('case.ok["trailing!"]');
    expect(formatPath("case", [""])).toBe('case[""]');
  });

  it("keep a key of exactly 80 characters whole, and cut one of 81", () => {
    expect(formatPath("p", [`${"k".repeat(79)}!`])).toBe(`p["${"k".repeat(79)}!"]`);
    expect(formatPath("p", [`${"k".repeat(80)}!`])).toBe(`p["${"k".repeat(80)}…"]`);
  });

  it("put the path first, then the message", () => {
    expect(formatDiagnostic({ path: "case.now", message: "missing; add it" })).toBe("case.now: missing; add it");
  });
});

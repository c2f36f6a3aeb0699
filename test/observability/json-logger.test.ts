import { describe, expect, it } from "vitest";
import { jsonLogger } from "../../src/observability/logger.js";

// The characters src/markdown/unsafe-characters.ts calls line-forging or display-changing, minus the
// C0 controls that JSON.stringify already escapes.
const RAW_UNSAFE = /[\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe("the JSON logger and text it did not write", () => {
  // JSON.stringify escapes only C0 controls. NEL (U+0085) and U+2028/2029 end a line for many
  // readers (Python's splitlines, some log shippers and viewers), and C1 CSI (U+009B) starts an
  // escape sequence for terminals that take 8-bit controls.
  it("writes line- and display-changing characters as \\uXXXX, and the value still parses back", () => {
    const lines: string[] = [];
    const value = "a\u0085b\u2028c\u2029\u009b31md\u202ee\u2066\u061c\u200e\u007f";
    jsonLogger((line) => void lines.push(line)).info("x", { login: value, [`key\u0085`]: "v" });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith("}\n")).toBe(true);
    expect(RAW_UNSAFE.test(lines[0]!)).toBe(false);
    expect(lines[0]).toContain("a\\u0085b\\u2028c\\u2029\\u009b31md\\u202ee");
    expect(JSON.parse(lines[0]!)).toMatchObject({ login: value, [`key\u0085`]: "v" });
  });

  it("parses back to the same value whatever the text holds, characters beyond U+FFFF too", () => {
    const lines: string[] = [];
    const values = ["tag \u{e0041}\u{e007f} and emoji \u{1f600}", "zero\u200bwidth @\u200blogin \u00ad\ufeff", "lone \ud800 surrogate", "\u0085".repeat(3)];
    for (const value of values) jsonLogger((line) => void lines.push(line)).info("x", { value });
    expect(lines.map((line) => (JSON.parse(line) as { value: string }).value)).toEqual(values);
    for (const line of lines) expect(RAW_UNSAFE.test(line)).toBe(false);
  });

  it("leaves other text as it is", () => {
    const lines: string[] = [];
    jsonLogger((line) => void lines.push(line), () => Date.parse("2026-11-21T05:00:00Z")).info("x", { text: "Grüße, 日本語 — ✓", n: 3 });
    expect(lines).toEqual(['{"time":"2026-11-21T05:00:00.000Z","level":"info","event":"x","text":"Grüße, 日本語 — ✓","n":3}\n']);
  });
});

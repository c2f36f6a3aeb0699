import { describe, expect, it } from "vitest";
import { formatPath, quote } from "../../src/diagnostics/diagnostic.js";

describe("values echoed in messages", () => {
  // quote() echoes at most 80 characters of a value.
  it("quote() echoes at most 80 characters of a long value, then an ellipsis", () => {
    expect(quote("a".repeat(500))).toBe(`\`${"a".repeat(80)}…\``);
    expect(quote("b".repeat(20), 10)).toBe(`\`${"b".repeat(10)}…\``);
    expect(quote("c".repeat(80))).toBe(`\`${"c".repeat(80)}\``);
  });

  // JSON.stringify escapes only C0 controls: a key with a bidirectional override or a C1 control
  // must still be written out in a path.
  it("writes out bidirectional, C1 and line-separator characters in a key of a path", () => {
    const path = formatPath("bundle", ["evidence", 0, "x\u202edm.service\u009b\u2028"]);
    expect(path).toBe('bundle.evidence[0]["x\\u202edm.service\\x9b\\u2028"]');
    expect(path).not.toMatch(/[\u0080-\u009f\u2028\u202e]/);
  });
});

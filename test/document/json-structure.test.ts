import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countQuoteBytes } from "../../src/document/json-structure.js";

const naive = (bytes: Uint8Array) => bytes.reduce((n, b) => n + (b === 0x22 ? 1 : 0), 0);

describe("countQuoteBytes", () => {
  it("counts the quote bytes of any bytes at any alignment", () => {
    // Bytes near the quote (0x21, 0x23, 0xa2) and around the word trick's edges (0x00, 0x7f, 0x80, 0xff).
    const byte = fc.oneof(fc.constantFrom(0x22, 0x21, 0x23, 0xa2, 0x00, 0x7f, 0x80, 0xff), fc.integer({ min: 0, max: 255 }));
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 2_200 }), fc.nat(3), (list, offset) => {
        const bytes = Uint8Array.from(list).subarray(Math.min(offset, list.length));
        return countQuoteBytes(bytes) === naive(bytes);
      }),
      { numRuns: 2_000 },
    );
  });

  it("folds its per-lane sums before they overflow: 4,096 quotes in a row", () => {
    expect(countQuoteBytes(new Uint8Array(4_096).fill(0x22))).toBe(4_096);
  });
});

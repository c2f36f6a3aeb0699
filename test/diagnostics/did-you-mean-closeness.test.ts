import { describe, expect, it } from "vitest";
import { closestMatch, didYouMean } from "../../src/diagnostics/suggest.js";

describe("did-you-mean suggestions", () => {
  it("suggest the first of two equally close candidates, in the order given", () => {
    expect(closestMatch("cat", ["bat", "hat"])).toBe("bat");
    expect(closestMatch("cat", ["hat", "bat"])).toBe("hat");
  });

  it("allow two edits for a short word, and no more", () => {
    expect(closestMatch("ab", ["xy"])).toBe("xy");
    expect(closestMatch("abc", ["xyz"])).toBeNull();
    expect(closestMatch("abcdefg", ["abcdexy"])).toBe("abcdexy");
    expect(closestMatch("abcdefg", ["abcdwxy"])).toBeNull();
  });

  it("allow a quarter of a long word's length in edits (rounded down), and no more", () => {
    // 16 letters: four edits are close enough, five are not.
    expect(closestMatch("abcdefghijklmnop", ["abcdefghijklwxyz"])).toBe("abcdefghijklwxyz");
    expect(closestMatch("abcdefghijklmnop", ["abcdefghijkvwxyz"])).toBeNull();
    // 15 letters: still three, not four.
    expect(closestMatch("abcdefghijklmno", ["abcdefghijklxyz"])).toBe("abcdefghijklxyz");
    expect(closestMatch("abcdefghijklmno", ["abcdefghijkwxyz"])).toBeNull();
  });

  it("ignore letter case when comparing, and suggest the candidate as spelt", () => {
    expect(closestMatch("GATEWAY_RESTART", ["gateway_restart", "other"])).toBe("gateway_restart");
    expect(didYouMean("Dry_Run_Only", ["dry_run_only"])).toBe("; did you mean `dry_run_only`?");
  });

  it("count a missing or an extra letter as one edit each", () => {
    // Eight letters allow two edits: two letters left out, or two too many, are still suggested.
    expect(closestMatch("gatwy_rs", ["gateway_rs"])).toBe("gateway_rs");
    expect(closestMatch("gateway_rs", ["gatwy_rs"])).toBe("gatwy_rs");
    expect(closestMatch("restaaart", ["restart"])).toBe("restart");
    expect(closestMatch("rstrt", ["restart"])).toBe("restart");
  });

  it("prefer the closest candidate over an earlier, farther one", () => {
    expect(closestMatch("service_restart", ["service_start", "service_restarts"])).toBe("service_restarts");
  });

  it("say nothing for a value that is not text, or when nothing is close", () => {
    expect(didYouMean(42, ["42"])).toBe("");
    expect(didYouMean(null, ["null"])).toBe("");
    expect(didYouMean("zzzzzz", ["gateway_restart"])).toBe("");
    expect(closestMatch("anything", [])).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { UNSAFE_CHARACTER, writeOutUnsafe } from "../../src/markdown/unsafe-characters.js";

describe("UNSAFE_CHARACTER, for names that are refused when unsafe", () => {
  it.each([
    ["the Arabic letter mark", "\u061c"],
    ["the left-to-right mark", "\u200e"],
    ["the right-to-left mark", "\u200f"],
    ["the left-to-right embedding", "\u202a"],
    ["the right-to-left override", "\u202e"],
    ["the left-to-right isolate", "\u2066"],
    ["the pop directional isolate", "\u2069"],
    ["DEL", "\u007f"],
    ["the last C1 control", "\u009f"],
  ])("finds %s", (_name, character) => {
    expect(UNSAFE_CHARACTER.test(`iskra${character}gateway`)).toBe(true);
  });
});

describe("writeOutUnsafe", () => {
  it("writes out a C1 control and a mark past U+00FF with all their digits", () => {
    expect(writeOutUnsafe("a\u009fb")).toBe("a\\x9fb");
    expect(writeOutUnsafe("a\u061cb")).toBe("a\\u061cb");
    expect(writeOutUnsafe("x\u202edm.service")).toBe("x\\u202edm.service");
  });
});

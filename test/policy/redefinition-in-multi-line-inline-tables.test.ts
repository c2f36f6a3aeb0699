import { describe, expect, it } from "vitest";
import { policyProblems } from "../helpers/policy-text.js";


// An inline table may span lines; its first key, on the line after the brace, is still a key,
// whatever the line ending.
describe("a key twice in an inline table that spans lines", () => {
  it.each([
    ["LF", "x = {\n a = 1, a = 2 }\n"],
    ["CRLF", "x = {\r\n a = 1, a = 2 }\r\n"],
  ])("names both columns when the first key is on the line after the brace (%s)", (_ending, toml) => {
    expect(policyProblems(toml)).toEqual(["policy.x.a: key `a` in an inline table is set twice, at line 2, columns 2 and 9; keep one"]);
  });

  it("names a key twice in a nested inline table across CRLF lines", () => {
    expect(policyProblems("x = {\r\n a = 1,\r\n b = { c = 1,\r\n c = 2 } }\r\n")).toEqual([
      "policy.x.b.c: key `c` in an inline table is set twice, at line 3 and at line 4, column 2; keep one",
    ]);
  });
});

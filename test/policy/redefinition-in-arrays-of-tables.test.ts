import { describe, expect, it } from "vitest";
import { policyProblems } from "../helpers/policy-text.js";


// Each `[[x]]` opens a new element; a longer header after it (`[x.y]`) belongs to that element, so
// the same sub-table in an earlier element is no twin.
describe("a table or key written twice under an array of tables", () => {
  it("names the key twice in the sub-table of the latest element, not the one in an earlier element", () => {
    expect(policyProblems("[[x]]\n[x.y]\na = 1\n[[x]]\n[x.y]\na = 1\na = 2\n")).toEqual([
      "policy.x[1].y.a: key `a` in table `[x.y]` is set twice, at line 6 and at line 7, column 1; keep one",
    ]);
  });

  it("names a sub-table defined twice in the latest element", () => {
    expect(policyProblems("[[x]]\n[x.y]\n[[x]]\n[x.y]\n[x.y]\n")).toEqual([
      "policy.x[1].y: table `[x.y]` is defined twice, at line 4 and at line 5, column 2; merge the two into one table",
    ]);
  });

  // `[[a.b]]` makes only `b` an array; `a` stays a plain table that `[a]` may define once.
  it("treats the table above an array of tables as a plain table, defined twice by two headers", () => {
    expect(policyProblems("[[a.b]]\n[a]\nx = 1\n[a]\n")).toEqual([
      "policy.a: table `[a]` is defined twice, at line 2 and at line 4, column 2; merge the two into one table",
    ]);
  });
});

describe("an array of tables opened over a key of the same name", () => {
  it.each([
    ["a plain value", "a = 1\n[[a]]\n"],
    ["a static list", "a = [1]\n[[a]]\n"],
  ])("is refused at the array's own path, not at the element it would open (%s)", (_what, toml) => {
    expect(policyProblems(toml)).toEqual(["policy.a: table `[[a]]` at line 2, column 3 redefines a table or key set earlier in the file; define each table once"]);
  });
});

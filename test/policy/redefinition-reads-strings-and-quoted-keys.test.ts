import { describe, expect, it } from "vitest";
import { policyProblems } from "../helpers/policy-text.js";


// The twin of a key set twice is found by reading the file as TOML up to the error. A string value
// whose text looks like TOML (a brace, an escaped quote, extra closing quotes) must not shift where
// the next line's key is read, or the operator is told the wrong line or no twin at all.
describe("the twin of a key set twice is found past string values of every form", () => {
  it.each([
    ["a literal string holding a brace", "s = '{'\na = 1\na = 2\n"],
    ["a basic string with an escaped quote before a brace", 's = "\\"{"\na = 1\na = 2\n'],
    ["a basic string ending in an escaped backslash", 's = "a\\\\"\na = 1\na = 2\n'],
    ["a literal string ending in a backslash", "s = 'a\\'\na = 1\na = 2\n"],
    ["a multi-line basic string ending in a quote of its own", 's = """a""""\na = 1\na = 2\n'],
    ["a multi-line literal string ending in a quote of its own", "s = '''a''''\na = 1\na = 2\n"],
    ["a multi-line basic string ending in two quotes of its own", 's = """a"""""\na = 1\na = 2\n'],
    ["a multi-line literal string ending in two quotes of its own", "s = '''a'''''\na = 1\na = 2\n"],
  ])("%s", (_what, toml) => {
    expect(policyProblems(toml)).toEqual(["policy.a: key `a` is set twice, at line 2 and at line 3, column 1; keep one"]);
  });
});

describe("quoted keys are matched to their twin by the key they name", () => {
  it("a basic-string key with an escape is the same key as the bare one it spells", () => {
    expect(policyProblems('"\\u0061" = 1\na = 2\n')).toEqual(["policy.a: key `a` is set twice, at line 1 and at line 2, column 1; keep one"]);
  });

  it("a literal-string key is a key, and its twin is named", () => {
    expect(policyProblems("'a' = 1\n'a' = 2\n")).toEqual(["policy.a: key `'a'` is set twice, at line 1 and at line 2, column 1; keep one"]);
  });

  it("a literal-string key ending in a backslash is read to its closing quote", () => {
    expect(policyProblems("'a\\' = 1\n'a\\' = 2\n")).toEqual(["policy[\"a\\\\\"]: key `'a\\'` is set twice, at line 1 and at line 2, column 1; keep one"]);
  });

  it("a basic-string key with an escaped quote is read to its closing quote", () => {
    expect(policyProblems('"a\\"b" = 1\n"a\\"b" = 2\n')).toEqual(['policy["a\\"b"]: key `"a\\"b"` is set twice, at line 1 and at line 2, column 1; keep one']);
  });

  it("tabs around keys and equals signs are blanks like spaces", () => {
    expect(policyProblems("a\t=\t1\n[t]\n\tk\t= 1\n\tk = 2\n")).toEqual(["policy.t.k: key `k` in table `[t]` is set twice, at line 3 and at line 4, column 2; keep one"]);
  });
});

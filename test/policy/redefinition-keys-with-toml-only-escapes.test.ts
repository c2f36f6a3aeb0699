import { describe, expect, it } from "vitest";
import { formatPath } from "../../src/diagnostics/diagnostic.js";
import { policyProblems } from "../helpers/policy-text.js";


// TOML has escapes JSON lacks (`\UXXXXXXXX`, `\e`). A quoted key using one must still be read as the
// key TOML reads, or the twin named is another key on another line.
describe("a key or table with a TOML-only escape is matched to its true twin", () => {
  it("names the line that really set the key first, not a different key that looks the same before unescaping", () => {
    // Line 1 is the key `a`; lines 2 and 3 are both the key `\U00000061` (an escaped backslash).
    expect(policyProblems('"\\U00000061" = 1\n"\\\\U00000061" = 2\n"\\\\U00000061" = 3\n')).toEqual([
      'policy["\\\\U00000061"]: key `"\\\\U00000061"` is set twice, at line 2 and at line 3, column 1; keep one',
    ]);
  });

  it("names the line that really defined the table first", () => {
    expect(policyProblems('["\\U00000061"]\n["\\\\U00000061"]\n["\\\\U00000061"]\n')).toEqual([
      'policy["\\\\U00000061"]: table `["\\\\U00000061"]` is defined twice, at line 2 and at line 3, column 2; merge the two into one table',
    ]);
  });

  it("names the twin of a bare key first written with a \\U escape", () => {
    expect(policyProblems('"\\U00000061" = 1\na = 2\n')).toEqual(["policy.a: key `a` is set twice, at line 1 and at line 2, column 1; keep one"]);
  });

  it("gives the path of a key written with a \\e escape as the key TOML reads (an ESC character)", () => {
    const [problem] = policyProblems('"\\e" = 1\n"\\e" = 2\n');
    expect(problem).toBe(`${formatPath("policy", ["\u001b"])}: key \`"\\e"\` is set twice, at line 1 and at line 2, column 1; keep one`);
  });
});

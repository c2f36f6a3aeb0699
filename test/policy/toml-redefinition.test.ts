import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../src/diagnostics/diagnostic.js";
import { parsePolicy } from "../../src/policy/parse-policy.js";

function problems(toml: string): string[] {
  const parsed = parsePolicy(Buffer.from(toml));
  if (parsed.ok) throw new Error("expected the policy to be refused");
  return parsed.diagnostics.map(formatDiagnostic);
}

// smol-toml's own message ("trying to redefine an already defined table or value") names no table,
// and a policy holds dozens; the operator should not have to bisect the file to find the twin.
describe("a table or key written twice in a policy", () => {
  it.each([
    [
      'name = "p"\n[hard_manual.service_restart]\ndescription = "a"\n\n[hard_manual.service_restart]\ndescription = "b"\n',
      "policy.hard_manual.service_restart: table `[hard_manual.service_restart]` is defined twice, at line 2 and at line 5, column 2; merge the two into one table",
    ],
    ['name = "p"\nname = "q"\n', "policy.name: key `name` is set twice, at line 1 and at line 2, column 1; keep one"],
    [
      'name = "p"\n[hard_manual.a] # why\ndescription = "a"\ndescription = "b"\n',
      "policy.hard_manual.a.description: key `description` in table `[hard_manual.a]` is set twice, at line 3 and at line 4, column 1; keep one",
    ],
    // The same key under two different tables is no twin: the first `description` is not named.
    [
      'name = "p"\n[a]\ndescription = "a"\n[b]\ndescription = "b"\ndescription = "c"\n',
      "policy.b.description: key `description` in table `[b]` is set twice, at line 5 and at line 6, column 1; keep one",
    ],
    ['name = "p"\n[a]\nb = 1\n[a.b]\nc = 1\n', "policy.a.b: table `[a.b]` at line 4, column 2 redefines a table or key set earlier in the file; define each table once"],
  ])("%j", (toml, expected) => {
    expect(problems(toml)).toEqual([expected]);
  });

  it("leaves other TOML errors as they were", () => {
    expect(problems('name = "p"\nother = \n')).toEqual([expect.stringMatching(/^policy: malformed TOML at line 2, column \d+: .+; fix the syntax$/)]);
  });
});

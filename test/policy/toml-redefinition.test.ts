import { describe, expect, it } from "vitest";
import { explainRedefinition } from "../../src/policy/toml-redefinition.js";
import { policyProblems, SHIPPED } from "../helpers/policy-text.js";


function edit(from: string, to: string): string {
  if (!SHIPPED.includes(from)) throw new Error(`not in the shipped policy: ${from}`);
  return SHIPPED.replace(from, to);
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
    // Each `[[…]]` is an element of its own; a key twice in one of them names that element.
    ['[[x]]\na = 1\n[[x]]\na = 1\na = 2\n', "policy.x[1].a: key `a` in table `[[x]]` is set twice, at line 4 and at line 5, column 1; keep one"],
    ['[t]\nx = 1\n[[t]]\n', "policy.t: table `[[t]]` at line 3, column 3 redefines a table or key set earlier in the file; define each table once"],
    // A quoted key is the same key as the bare one; a header written with spaces is the same table.
    ['a = 1\n"a" = 2\n', 'policy.a: key `"a"` is set twice, at line 1 and at line 2, column 1; keep one'],
    ['[ a . "b c" ]\nx = 1\n[a."b c"]\n', 'policy.a["b c"]: table `[a."b c"]` is defined twice, at line 1 and at line 3, column 2; merge the two into one table'],
    // What looks like a header inside a multi-line string or after a `#` is none.
    ['s = """\n[t]\nx = 1\n"""\n# [t]\n[t]\nx = 1\nx = 2\n', "policy.t.x: key `x` in table `[t]` is set twice, at line 7 and at line 8, column 1; keep one"],
    ['a = 1\r\nb = 2\r\na = 3\r\n', "policy.a: key `a` is set twice, at line 1 and at line 3, column 1; keep one"],
  ])("%j", (toml, expected) => {
    expect(policyProblems(toml)).toEqual([expected]);
  });

  // An inline table's key was read as the start of its line (`{ glob`), set twice at the first rule of
  // the array: the twin is the key at the error's column, in the element the table is.
  it("a key twice inside an inline table names the element and the key", () => {
    expect(policyProblems(edit('{ glob = "docs/**", risk = "low", description = "documentation" }', '{ glob = "docs/**", risk = "low", risk = "high", description = "documentation" }'))).toEqual([
      "policy.drift.risk_rules[9].risk: key `risk` in an inline table is set twice, at line 184, columns 23 and 37; keep one",
    ]);
    expect(policyProblems(edit('{ local = "", target = "/opt/iskra-openclaw/" }', '{ local = "", target = "/opt/iskra-openclaw/", target = "/srv/x/" }'))).toEqual([
      "policy.drift.paths[1].target: key `target` in an inline table is set twice, at line 171, columns 17 and 50; keep one",
    ]);
  });

  it.each([
    ["r = [\n  { g = 1,\n h = 2, h = 3 },\n]\n", "policy.r[0].h: key `h` in an inline table is set twice, at line 3, columns 2 and 9; keep one"],
    ['a = [1, [2, "]"], { x = 1, y = { z = 1, z = 2 } }]\n', "policy.a[2].y.z: key `z` in an inline table is set twice, at line 1, columns 34 and 41; keep one"],
    ["r = [\n  { a = 1 }, # {\n  { a = 1, b = 1, b = 2 },\n]\n", "policy.r[1].b: key `b` in an inline table is set twice, at line 3, columns 12 and 19; keep one"],
  ])("nested and multi-line inline tables: %j", (toml, expected) => {
    expect(policyProblems(toml)).toEqual([expected]);
  });

  // quote() keeps a backtick from closing the code span and a U+202E from reordering the line; the
  // key and its path were echoed raw.
  it("echoes a twice-set key as every user value is echoed", () => {
    expect(policyProblems('"a\u202eb`c" = 1\n"a\u202eb`c" = 2\n')).toEqual([`policy["a\\u202eb'c"]: key \`"a b'c"\` is set twice, at line 1 and at line 2, column 1; keep one`]);
    expect(policyProblems("[\"t\u202e\"]\n[\"t\u202e\"]\n")).toEqual([`policy["t\\u202e"]: table \`["t "]\` is defined twice, at line 1 and at line 2, column 2; merge the two into one table`]);
  });

  // Each earlier line was matched to its table by a scan back to the header above it: quadratic, a
  // 430 KB policy without tables took ~38 s on the server's event loop (a pushed policy's what-if).
  it("is explained in time for a long file", () => {
    const lines = Array.from({ length: 15_000 }, (_, i) => `k${i} = 1`);
    lines.push("z = 1", "z = 2");
    const started = performance.now();
    expect(policyProblems(lines.join("\n"))).toEqual(["policy.z: key `z` is set twice, at line 15001 and at line 15002, column 1; keep one"]);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  // Then parsePolicy gives smol-toml's own message, with the line and column.
  it("explains nothing when the position is on no table or key", () => {
    expect(explainRedefinition("a = 1\nb = 2\n", 2, 5)).toBeNull();
    expect(explainRedefinition("a = 1\n", 7, 1)).toBeNull();
  });

  it("leaves other TOML errors as they were", () => {
    expect(policyProblems('name = "p"\nother = \n')).toEqual([expect.stringMatching(/^policy: malformed TOML at line 2, column \d+: .+; fix the syntax$/)]);
  });
});

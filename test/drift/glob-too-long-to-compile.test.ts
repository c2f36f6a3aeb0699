import { describe, expect, it } from "vitest";
import { repositoryGlobProblem } from "../../src/config/repository-glob.js";
import { formatDiagnostic } from "../../src/diagnostics/diagnostic.js";
import { ignoreGlobProblem, riskGlobProblem } from "../../src/drift/drift-policy-schema.js";
import { parsePolicy } from "../../src/policy/parse-policy.js";
import { SHIPPED } from "../helpers/policy-text.js";

// picomatch refuses to compile a pattern longer than 65,536 characters; everything else about
// this glob (plain letters, no slash, no bracket) would pass the other checks.
const LONG = "a".repeat(65_537);
const SHOWN = `\`${"a".repeat(80)}…\``;
const WHY = "is not a glob (Input length: 65537, exceeds maximum allowed length: 65536)";

describe("a glob picomatch cannot compile is refused with a message, not accepted or thrown", () => {
  it("as an --ignore glob, naming both examples", () => {
    expect(ignoreGlobProblem(LONG)).toBe(`${SHOWN} ${WHY}; write it like \`**/*.service\` or \`docs/**\``);
  });

  it("as a risk rule's glob", () => {
    expect(riskGlobProblem(LONG)).toBe(`${SHOWN} ${WHY}; write it like \`**/*.service\` or \`docs/**\``);
  });

  it("as a repository glob, naming its one example", () => {
    expect(repositoryGlobProblem(LONG)).toBe(`${SHOWN} ${WHY}; write it like \`evidence/**/*.json\``);
  });

  it("in a policy's risk rule: the policy is refused at that glob's TOML path", () => {
        const toml = SHIPPED.replace(/risk_rules = \[[\s\S]*?\n\]/, `risk_rules = [\n  { glob = "${LONG}", risk = "high" },\n]`);
    expect(toml).not.toBe(SHIPPED);
    const parsed = parsePolicy(Buffer.from(toml));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.diagnostics.map(formatDiagnostic)).toEqual([`policy.drift.risk_rules[0].glob: ${SHOWN} ${WHY}; write it like \`**/*.service\` or \`docs/**\``]);
  });
});

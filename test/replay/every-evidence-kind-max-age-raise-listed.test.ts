import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EVIDENCE_KINDS } from "../../src/evidence/kinds.js";
import { parsePolicy } from "../../src/policy/parse-policy.js";
import type { Policy } from "../../src/policy/policy.js";
import { SHIPPED_POLICY_PATH } from "../../src/policy/read-policy.js";
import { policyLoosenings } from "../../src/replay/policy-loosenings.js";

const SHIPPED = readFileSync(SHIPPED_POLICY_PATH, "utf8");

function policyOf(text: string): Policy {
  const parsed = parsePolicy(Buffer.from(text));
  if (!parsed.ok) throw new Error(parsed.diagnostics.map((d) => `${d.path}: ${d.message}`).join("\n"));
  return parsed.policy;
}

const shipped = policyOf(SHIPPED);

describe("policyLoosenings: a raised maximum age is listed for every evidence kind", () => {
  for (const kind of EVIDENCE_KINDS) {
    it(`\`${kind}\` evidence allowed to be 30 days old`, () => {
      const header = `[evidence.${kind}]\nmax_age = "`;
      const at = SHIPPED.indexOf(header);
      expect(at).toBeGreaterThanOrEqual(0);
      const end = SHIPPED.indexOf('"', at + header.length);
      const was = SHIPPED.slice(at + header.length, end);
      const candidate = policyOf(`${SHIPPED.slice(0, at + header.length)}30d${SHIPPED.slice(end)}`);
      expect(policyLoosenings(shipped, candidate)).toEqual([
        { path: `policy.evidence.${kind}.max_age`, change: `raised from \`${was}\` to \`30d\`: older \`${kind}\` evidence passes` },
      ]);
    });
  }
});

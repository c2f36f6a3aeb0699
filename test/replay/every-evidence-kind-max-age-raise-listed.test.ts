import { describe, expect, it } from "vitest";
import { EVIDENCE_KINDS } from "../../src/evidence/kinds.js";
import { policyLoosenings } from "../../src/replay/policy-loosenings.js";
import { policyOf, SHIPPED } from "../helpers/policy-text.js";

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

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/evidence/artifact-bytes.js";
import { assembleInput, openBundle } from "../../src/evidence/open-bundle.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { fixture } from "../helpers/paths.js";

const NOW = Date.parse("2026-11-21T12:00:00Z");
const policy = await readPolicy();

function judge(edit: (bundle: Record<string, any>) => void) {
  const bundle = JSON.parse(readFileSync(fixture("drift/two-plans-disagree.bundle.json"), "utf8")) as Record<string, any>;
  edit(bundle);
  return evaluate(assembleInput(openBundle("b.json", Buffer.from(JSON.stringify(bundle)), DEFAULT_LIMITS), new Map(), DEFAULT_LIMITS), policy, NOW);
}

describe("two drift plans of one host (remote.host) that disagree", () => {
  it("the fixture as shipped is contradictory (control)", () => {
    const verdict = judge(() => {});
    expect(verdict.reasons.map((r) => r.code)).toContain("evidence_contradictory");
  });

  it("are still contradictory when the producer gives the in-sync plan another subject (the subject is not in the plan's digest)", () => {
    const verdict = judge((b) => {
      b.evidence[2].subject = "iskra-mirror";
    });
    // Both plans compare the repository with host `iskra`: the host cannot be both behind and in sync.
    expect(verdict.verdict).not.toBe("eligible_repair_dry_run");
    expect(verdict.reasons.map((r) => r.code)).toContain("evidence_contradictory");
  });

  it("are still contradictory when the in-sync plan has no subject", () => {
    const verdict = judge((b) => {
      delete b.evidence[2].subject;
    });
    expect(verdict.verdict).not.toBe("eligible_repair_dry_run");
  });
});

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sha256Digest } from "../../src/integrity/digest.js";
import { parsePolicy } from "../../src/policy/parse-policy.js";
import { compilePolicy } from "../../src/policy/policy.js";
import { runWhatIf } from "../../src/replay/what-if.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { policyProblems, SHIPPED } from "../helpers/policy-text.js";

const TRUTH_MAX_AGE = 'max_age = "1h"\ndescription = "What is actually running';
const withTruthMaxAge = (value: string) => SHIPPED.replace(TRUTH_MAX_AGE, `max_age = "${value}"\ndescription = "What is actually running`);
const withSkew = (value: string) => SHIPPED.replace('skew_tolerance = "2m"', `skew_tolerance = "${value}"`);


const diagnosticsInput = () => inputOf(bundleOf("runtime_diagnostics", [item("runtime-truth-report"), item("autoheal-dashboard")]));

describe("durations have upper bounds", () => {
  it("refuses a max age past 30 days, which would make every evaluation throw", () => {
    expect(SHIPPED).toContain(TRUTH_MAX_AGE);
    expect(policyProblems(withTruthMaxAge("100000000d"))).toEqual([
      "policy.evidence.runtime-truth-report.max_age: `100000000d` is over the `30d` limit for a maximum age (evidence that old says nothing about now); give at most `30d`",
    ]);
    expect(policyProblems(withTruthMaxAge("30d1s"))).toHaveLength(1);
    expect(parsePolicy(Buffer.from(withTruthMaxAge("30d"))).ok).toBe(true);
  });

  it("refuses a clock-skew tolerance past an hour, which would switch off the future-dated checks", () => {
    expect(policyProblems(withSkew("36500d"))).toEqual([
      "policy.clock.skew_tolerance: `36500d` is over the `1h` limit for the clock-skew tolerance (more would let future-dated evidence through; fix the producer's clock instead); give at most `1h`",
    ]);
    expect(policyProblems(withSkew("1h1s"))).toHaveLength(1);
    expect(parsePolicy(Buffer.from(withSkew("1h"))).ok).toBe(true);
  });

  it("a what-if of such a candidate reports the problem instead of crashing", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "pw-duration-whatif-"));
    try {
      const { whatIf, report } = await runWhatIf(dataDir, { path: "p.toml", ref: "abc", bytes: Buffer.from(withTruthMaxAge("100000000d")) }, null, await readPolicy());
      expect(report).toBeNull();
      expect(whatIf.problems).toEqual([expect.stringMatching(/^policy\.evidence\.runtime-truth-report\.max_age: `100000000d` is over the `30d` limit/)]);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("the engine neither throws nor loses its future-dated checks on a document that skipped validation", () => {
    const parsed = parsePolicy(Buffer.from(SHIPPED));
    if (!parsed.ok) throw new Error("shipped policy invalid");
    const document = structuredClone(parsed.policy.document);
    document.evidence["runtime-truth-report"].max_age = "100000000d";
    document.clock.skew_tolerance = "36500d";
    const policy = compilePolicy(document, sha256Digest("unchecked"));
    expect(policy.maxAgeSeconds["runtime-truth-report"]).toBe(30 * 86_400);
    expect(policy.skewToleranceSeconds).toBe(3600);
    expect(() => evaluate(diagnosticsInput(), policy, NOW)).not.toThrow();
    const future = inputOf(bundleOf("runtime_diagnostics", [item("runtime-truth-report", { generated_at: "2026-11-22T12:00:00Z" }), item("autoheal-dashboard")]));
    expect(evaluate(future, policy, NOW).reasons.map((r) => r.code)).toContain("evidence_from_future");
  });
});

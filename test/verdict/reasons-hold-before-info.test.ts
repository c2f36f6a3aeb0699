import { describe, expect, it } from "vitest";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";

// Reasons read worst first: blocking ones, then those that hold for a human, then notes that
// change nothing. A note must never come before a reason that holds the verdict.
const policy = await readPolicy();
const DIGEST = `sha256:${"ab".repeat(32)}`;

describe("reason order by severity", () => {
  it("a held verdict lists its hold reason before an informational note, whatever the rule order", () => {
    // artifact_digest_unverified (info) comes from an earlier rule than evidence_warn (hold).
    const bundle = bundleOf("runtime_diagnostics", [item("runtime-truth-report", { subject: "gw", sha256: DIGEST }), item("autoheal-dashboard", { subject: "iskra", status: "warn" })]);
    const v = evaluate(inputOf(bundle), policy, NOW);
    expect(v.verdict).toBe("needs_human");
    expect(v.reasons.map((r) => [r.code, r.severity])).toEqual([
      ["evidence_warn", "hold"],
      ["artifact_digest_unverified", "info"],
    ]);
  });

  it("block, hold and info reasons come in that order", () => {
    const bundle = bundleOf("runtime_diagnostics", [
      item("runtime-truth-report", { subject: "gw", sha256: DIGEST }),
      item("autoheal-dashboard", { subject: "iskra", status: "warn" }),
      item("incident-packet", { subject: "inc", status: "fail" }),
    ]);
    const v = evaluate(inputOf(bundle), policy, NOW);
    expect(v.verdict).toBe("blocked");
    const severities = v.reasons.map((r) => r.severity);
    expect(severities).toEqual([...severities].sort((a, b) => ["block", "hold", "info"].indexOf(a) - ["block", "hold", "info"].indexOf(b)));
    expect(severities[0]).toBe("block");
    expect(severities.at(-1)).toBe("info");
    expect(severities).toContain("hold");
  });
});

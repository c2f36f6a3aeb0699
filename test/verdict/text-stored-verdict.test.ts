import { describe, expect, it } from "vitest";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { renderText } from "../../src/verdict/render/text.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";

const policy = await readPolicy();

// The bundle and policy schemas refuse control characters in an evidence subject or a policy name,
// but `queue show` prints renderText(proposal.verdict) for a verdict read back from a proposal file,
// which is only loosely checked, so renderText must still write out whatever it is given.
describe("renderText on a verdict it did not just evaluate", () => {
  it("writes out escape sequences in an evidence subject and in the policy name", () => {
    const verdict = evaluate(inputOf(bundleOf("runtime_diagnostics", [item("runtime-truth-report", { status: "warn", subject: "openclaw-gateway" }), item("autoheal-dashboard")])), policy, NOW);
    const stored = {
      ...verdict,
      evidence: verdict.evidence.map((e, i) => (i === 0 ? { ...e, subject: "gw\u001b[1A\u001b[2Kverdict: eligible_repair_dry_run" } : e)),
      policy: { ...verdict.policy, name: "shipped\u001b[8m\u202e" },
    };
    const text = renderText(stored);
    expect(text).not.toMatch(/[\u001b\u202e]/);
    expect(text).toContain("(gw\\x1b[1A\\x1b[2Kverdict: eligible_repair_dry_run)");
    expect(text).toContain("(shipped\\x1b[8m\\u202e)");
  });
});

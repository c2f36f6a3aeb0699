import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { inputOf, item, NOW } from "../helpers/bundles.js";
import { fixture } from "../helpers/paths.js";

// Two items that disagree must be found however many other items the bundle carries: a bundle
// of a few dozen items (more than a pairwise scan is used for) is judged as a small one is.
const policy = await readPolicy();

/** Two drift plans of host iskra, same status, different plans: only the contradiction holds them. */
function twoPlans(padding: number) {
  const bundle = JSON.parse(readFileSync(fixture("drift/two-plans-disagree.bundle.json"), "utf8")) as { evidence: unknown[] };
  for (let i = 0; i < padding; i++) bundle.evidence.push(item("runtime-truth-report", { subject: `gw-${i}`, generated_at: "2026-11-21T11:48:00Z" }));
  return evaluate(inputOf(bundle), policy, NOW);
}

/** Two runtime-truth reports about one gateway, one `pass`, one `warn`, beside `padding` unrelated reports. */
function twoReports(padding: number) {
  const evidence = [item("runtime-truth-report", { subject: "gw" }), item("autoheal-dashboard", { subject: "iskra" })];
  for (let i = 0; i < padding; i++) evidence.push(item("runtime-truth-report", { subject: `other-${i}` }));
  evidence.push(item("runtime-truth-report", { subject: "gw", status: "warn" }));
  const bundle = { schema: "patchwarden.evidence_bundle.v1", generated_at: "2026-11-21T11:55:00Z", producer: { name: "test" }, candidate: { repair_class: "runtime_diagnostics", summary: "s" }, evidence };
  return evaluate(inputOf(bundle), policy, NOW);
}

describe("contradictions in bundles of many items", () => {
  it("control: the two disagreeing drift plans alone hold the verdict for a contradiction", () => {
    const v = twoPlans(0);
    expect(v.verdict).toBe("needs_human");
    expect(v.reasons.filter((r) => r.severity !== "info").map((r) => r.code)).toEqual(["evidence_contradictory"]);
  });

  for (const padding of [29, 30, 31, 40]) {
    it(`the same plans beside ${padding} unrelated reports (${padding + 3} items) are still contradictory, never eligible`, () => {
      const v = twoPlans(padding);
      expect(v.verdict).toBe("needs_human");
      const contradiction = v.reasons.filter((r) => r.code === "evidence_contradictory");
      expect(contradiction).toHaveLength(1);
      expect(contradiction[0]!.path).toBe("bundle.evidence[2]");
    });
  }

  for (const padding of [0, 31, 40]) {
    it(`a pass and a warn report about one gateway, ${padding + 1} items apart, are named as contradictory`, () => {
      const v = twoReports(padding);
      const contradiction = v.reasons.filter((r) => r.code === "evidence_contradictory");
      expect(contradiction).toHaveLength(1);
      expect(contradiction[0]!.path).toBe(`bundle.evidence[${padding + 2}]`);
      expect(contradiction[0]!.message).toContain(`items evidence[0], evidence[${padding + 2}] about \`gw\` disagree (\`pass\` vs \`warn\`)`);
    });
  }
});

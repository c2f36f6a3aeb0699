import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";
import { fixture } from "../helpers/paths.js";

// A contradiction's path and evidence point at the first item that disagrees with the first one,
// not merely at the second of the group; and its message names every way the items disagree.
const policy = await readPolicy();

describe("where an evidence_contradictory reason points, and what it says", () => {
  it("pass, pass, fail about one subject: it points at the failing third item", () => {
    const bundle = bundleOf("runtime_diagnostics", [
      item("runtime-truth-report", { subject: "gw" }),
      item("runtime-truth-report", { subject: "gw" }),
      item("autoheal-dashboard", { subject: "iskra" }),
      item("runtime-truth-report", { subject: "gw", status: "fail", id: "third" }),
    ]);
    const v = evaluate(inputOf(bundle), policy, NOW);
    const contradiction = v.reasons.find((r) => r.code === "evidence_contradictory");
    expect(contradiction?.path).toBe("bundle.evidence[3]");
    expect(contradiction?.evidence).toEqual({ index: 3, kind: "runtime-truth-report", id: "third", subject: "gw" });
    expect(contradiction?.message).toBe(
      "`runtime-truth-report` items evidence[0], evidence[1], evidence[3] about `gw` disagree (`pass` vs `pass` vs `fail`); the producer must settle which is true",
    );
  });

  it("two drift plans differing in status and in plan: the message names both disagreements", () => {
    const bundle = JSON.parse(readFileSync(fixture("drift/two-plans-disagree.bundle.json"), "utf8")) as { evidence: Array<Record<string, unknown>> };
    bundle.evidence[2]!.status = "warn";
    const v = evaluate(inputOf(bundle), policy, NOW);
    const contradiction = v.reasons.find((r) => r.code === "evidence_contradictory");
    expect(contradiction?.path).toBe("bundle.evidence[2]");
    expect(contradiction?.message).toMatch(/ disagree \(`pass` vs `warn`, and different plans: `sha256:[0-9a-f]{64}` vs `sha256:[0-9a-f]{64}`\); /);
  });

  it("drift plans with different subjects are named without an `about` subject, which only some of them give", () => {
    const bundle = JSON.parse(readFileSync(fixture("drift/two-plans-disagree.bundle.json"), "utf8")) as { evidence: Array<Record<string, unknown>> };
    bundle.evidence[2]!.subject = "iskra-mirror";
    const v = evaluate(inputOf(bundle), policy, NOW);
    const contradiction = v.reasons.find((r) => r.code === "evidence_contradictory");
    expect(contradiction?.message).toMatch(/^`deploy-drift-probe` items evidence\[1\], evidence\[2\] disagree \(different plans: /);
    expect(contradiction?.message).not.toContain("about");
    expect(contradiction?.evidence).toMatchObject({ index: 2, kind: "deploy-drift-probe", subject: "iskra-mirror" });
  });

  it("drift plans that share a subject are named with it", () => {
    const bundle = JSON.parse(readFileSync(fixture("drift/two-plans-disagree.bundle.json"), "utf8")) as { evidence: Array<Record<string, unknown>> };
    const v = evaluate(inputOf(bundle), policy, NOW);
    expect(v.reasons.find((r) => r.code === "evidence_contradictory")?.message).toMatch(/^`deploy-drift-probe` items evidence\[1\], evidence\[2\] about `iskra` disagree \(different plans: /);
  });
});

import { describe, expect, it } from "vitest";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";

// Every approval claim is found wherever it sits (the last entry of a list included), reported
// once, against the item that carries it, at its own path, whatever was walked before it.
const policy = await readPolicy();

function claims(evidence: ReturnType<typeof item>[]) {
  const v = evaluate(inputOf(bundleOf("runtime_diagnostics", evidence)), policy, NOW);
  return { verdict: v.verdict, claims: v.reasons.filter((r) => r.code === "approval_claim_ignored").map((r) => ({ path: r.path, evidence: r.evidence })) };
}

describe("approval claims in lists and across items", () => {
  it("a claim in the last entry of a list is found", () => {
    const { verdict, claims: found } = claims([
      item("runtime-truth-report", { subject: "gw", data: { checks: [{ name: "a" }, { name: "b" }, { name: "c", approved_by: "piotr" }] } }),
      item("autoheal-dashboard", { subject: "iskra" }),
    ]);
    expect(verdict).toBe("needs_human");
    expect(found.map((c) => c.path)).toEqual(["bundle.evidence[0].data.checks[2].approved_by"]);
  });

  it("a claim in a list's only entry is found", () => {
    const { claims: found } = claims([item("runtime-truth-report", { subject: "gw", data: { gates: [{ approval: "granted" }] } }), item("autoheal-dashboard", { subject: "iskra" })]);
    expect(found.map((c) => c.path)).toEqual(["bundle.evidence[0].data.gates[0].approval"]);
  });

  it("keys after a list, and after a nested record, keep their own paths", () => {
    const { claims: found } = claims([
      item("runtime-truth-report", { subject: "gw", data: { checks: [{ x: 1 }, { y: [{ z: 2 }] }], gate: { inner: { n: 1 }, approved_at: "2026-11-21T11:00:00Z" }, approver: "piotr" } }),
      item("autoheal-dashboard", { subject: "iskra" }),
    ]);
    expect(found.map((c) => c.path)).toEqual(["bundle.evidence[0].data.gate.approved_at", "bundle.evidence[0].data.approver"]);
  });

  it("claims in two items are reported once each, against the item that carries them", () => {
    const { claims: found } = claims([
      item("runtime-truth-report", { subject: "gw", data: { approved_by: "piotr" } }),
      item("autoheal-dashboard", { subject: "iskra" }),
      item("incident-packet", { subject: "inc", data: { nested: { approval_granted: true } } }),
    ]);
    expect(found).toEqual([
      { path: "bundle.evidence[0].data.approved_by", evidence: { index: 0, kind: "runtime-truth-report", subject: "gw" } },
      { path: "bundle.evidence[2].data.nested.approval_granted", evidence: { index: 2, kind: "incident-packet", subject: "inc" } },
    ]);
  });
});

import { describe, expect, it } from "vitest";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";

// Each evidence row of a verdict carries the item's own id and subject when the item gives them,
// so an operator can find the item the row is about; an item without them gets neither.
const policy = await readPolicy();

describe("evidence rows and item ids", () => {
  it("a row keeps the item's id and subject, and an item without an id has none", () => {
    const bundle = bundleOf("runtime_diagnostics", [item("runtime-truth-report", { subject: "gw", id: "rt-7" }), item("autoheal-dashboard")]);
    const v = evaluate(inputOf(bundle), policy, NOW);
    expect(v.evidence[0]).toMatchObject({ index: 0, kind: "runtime-truth-report", id: "rt-7", subject: "gw" });
    expect(v.evidence[1]).not.toHaveProperty("id");
    expect(v.evidence[1]).not.toHaveProperty("subject");
  });
});

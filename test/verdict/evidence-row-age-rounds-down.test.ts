import { describe, expect, it } from "vitest";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";

// age_seconds in an evidence row is whole seconds elapsed: a part of a second is not yet a second,
// so an item is never shown older than it is.
const policy = await readPolicy();
const bundle = bundleOf("runtime_diagnostics", [item("runtime-truth-report", { subject: "gw", generated_at: "2026-11-21T11:50:00Z" }), item("autoheal-dashboard", { subject: "iskra", generated_at: "2026-11-21T11:59:59.900Z" })]);

describe("an evidence row's age in whole seconds", () => {
  it("600.6 seconds is shown as 600", () => {
    const v = evaluate(inputOf(bundle), policy, NOW + 600);
    expect(v.evidence[0]!.age_seconds).toBe(600);
  });

  it("an item written 0.9 seconds ago is 0 seconds old", () => {
    const v = evaluate(inputOf(bundle), policy, NOW + 800);
    expect(v.evidence[1]!.age_seconds).toBe(0);
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parsePolicy } from "../../src/policy/parse-policy.js";
import { SHIPPED_POLICY_PATH } from "../../src/policy/read-policy.js";

// An action a policy makes hard-manual in a class of its own cannot also be allowed for a dry run
// by one of its repair classes.

const SHIPPED = readFileSync(SHIPPED_POLICY_PATH, "utf8");
const DIAGNOSTICS_ACTIONS = 'allowed_actions = ["doctor.lint", "health.probe", "logs.collect"]';

describe("an action of a policy's own (non-boundary) hard-manual class", () => {
  it("cannot be an allowed action of a repair class", () => {
    expect(SHIPPED).toContain(DIAGNOSTICS_ACTIONS);
    const text = SHIPPED.replace(DIAGNOSTICS_ACTIONS, 'allowed_actions = ["doctor.lint", "health.probe", "logs.collect", "cache.vacuum"]').replace(
      "[repair_classes.",
      '[hard_manual.cache_maintenance]\ndescription = "cache maintenance the operator runs"\nactions = ["cache.vacuum"]\n\n[repair_classes.',
    );
    const parsed = parsePolicy(Buffer.from(text));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.diagnostics).toContainEqual({
        path: "policy.repair_classes.runtime_diagnostics.allowed_actions[3]",
        message: "`cache.vacuum` is a hard-manual action of `cache_maintenance`; it cannot be allowed for a dry run, list the class in `hard_manual` instead",
      });
    }
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parsePolicy } from "../../src/policy/parse-policy.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { policyLoosenings } from "../../src/replay/policy-loosenings.js";

// Every verdict shows its class's executor (engine 1.4.0): a candidate that names another must not be
// a what-if with 0 looser settings (commit status `success`, `replay --fail-on-loosen` exit 0).
const running = await readPolicy();
const text = readFileSync(new URL("../../policies/iskra-openclaw.v0.toml", import.meta.url), "utf8");

describe("what-if: a repair class's executor (shown in every verdict since engine 1.4.0)", () => {
  it("rewriting runtime_diagnostics' read-only executor is listed as a changed setting", () => {
    const edited = text.replace(
      'executor = "openclaw doctor --lint --json and openclaw health --json, read-only"',
      'executor = "the operator: systemctl --user restart openclaw-gateway.service"',
    );
    expect(edited).not.toBe(text);
    const parsed = parsePolicy(Buffer.from(edited));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
    const paths = policyLoosenings(running, parsed.policy).map((l) => l.path);
    expect(paths).toContain("policy.repair_classes.runtime_diagnostics.executor");
    // The same text again is no change.
    const same = parsePolicy(Buffer.from(text.replace("# ", "#  ")));
    if (!same.ok) throw new Error(JSON.stringify(same.diagnostics));
    expect(policyLoosenings(running, same.policy).map((l) => l.path)).not.toContain("policy.repair_classes.runtime_diagnostics.executor");
  });
});

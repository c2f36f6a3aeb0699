import { describe, expect, it } from "vitest";
import { parsePolicy } from "../../src/policy/parse-policy.js";
import { SHIPPED } from "../helpers/policy-text.js";


describe("policy [evidence] sections", () => {
  it("a policy with an [evidence] section for a kind that does not exist is refused, naming it", () => {
    const text = SHIPPED.replace("[evidence.runtime-truth-report]", '[evidence.runtime-truth-reports]\nmax_age = "1h"\n\n[evidence.runtime-truth-report]');
    const parsed = parsePolicy(Buffer.from(text));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.diagnostics.some((d) => d.path.startsWith("policy.evidence") && d.message.includes("runtime-truth-reports"))).toBe(true);
  });
});

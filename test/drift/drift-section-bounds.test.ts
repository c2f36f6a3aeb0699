import { describe, expect, it } from "vitest";
import { parsePolicy } from "../../src/policy/parse-policy.js";
import { policyProblems, SHIPPED } from "../helpers/policy-text.js";

const at = SHIPPED.indexOf("\n[drift]\n");
const before = SHIPPED.slice(0, at);
const drift = SHIPPED.slice(at);

/** The shipped policy with `from` replaced by `to` inside its [drift] section. */
function editDrift(from: RegExp | string, to: string): string {
  const edited = drift.replace(from, to);
  if (edited === drift) throw new Error(`not in the shipped [drift] section: ${String(from)}`);
  return before + edited;
}


function withPostchecks(count: number): string {
  return editDrift(/postchecks = \[[\s\S]*?\n\]/, `postchecks = [${Array.from({ length: count }, (_, i) => `"check ${i} passes"`).join(", ")}]`);
}

describe("the [drift] section's bounds", () => {
  it("takes 50 postchecks, and refuses 51", () => {
    const fifty = parsePolicy(Buffer.from(withPostchecks(50)));
    expect(fifty.ok && fifty.policy.drift!.postchecks.length).toBe(50);
    expect(policyProblems(withPostchecks(51))).toEqual(["policy.drift.postchecks: has more than 50 items"]);
  });

  it("refuses a section that maps no path to the host", () => {
    expect(policyProblems(editDrift(/paths = \[[\s\S]*?\n\]/, "paths = []"))).toEqual(["policy.drift.paths: needs at least 1 item(s)"]);
  });

  it("refuses a host target that climbs with `..`, though it starts with `/` and ends in `/`", () => {
    expect(policyProblems(editDrift('target = "/opt/iskra-openclaw/"', 'target = "/opt/iskra-openclaw/../../etc/"'))).toEqual([
      "policy.drift.paths[1].target: `/opt/iskra-openclaw/../../etc/` is not an absolute path on the host; write it like `/opt/iskra-openclaw/`",
    ]);
  });

  it("refuses a hard-manual name with characters after a valid prefix as no class name at all", () => {
    expect(policyProblems(editDrift('hard_manual = "service_restart", description = "systemd units', 'hard_manual = "service_restart-now", description = "systemd units'))).toEqual([
      "policy.drift.risk_rules[0].hard_manual: `service_restart-now` is not a hard-manual class name; use one defined under [hard_manual]",
    ]);
  });

  it("reports only the first catch-all rule, counting every rule it hides", () => {
    const toml = editDrift(/risk_rules = \[[\s\S]*?\n\]/, 'risk_rules = [\n  { glob = "**", risk = "low" },\n  { glob = "**/*", risk = "high" },\n  { glob = "docs/**", risk = "low" },\n]');
    expect(policyProblems(toml)).toEqual(["policy.drift.risk_rules[0].glob: `**` matches every path, so the 2 rules after it are never reached; move it last, or remove it and set `default_risk`"]);
  });
});

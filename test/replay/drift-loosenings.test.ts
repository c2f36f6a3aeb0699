import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parsePolicy } from "../../src/policy/parse-policy.js";
import type { Policy } from "../../src/policy/policy.js";
import { SHIPPED_POLICY_PATH } from "../../src/policy/read-policy.js";
import { policyLoosenings } from "../../src/replay/policy-loosenings.js";

// Each way a [drift] section can loosen is listed (docs/policy-reference.md "What loosens a policy"):
// another backup_location or executor, an added rule that is high without a hard-manual class, a
// rule moved one place up.

const SHIPPED = readFileSync(SHIPPED_POLICY_PATH, "utf8");

function policyOf(text: string): Policy {
  const parsed = parsePolicy(Buffer.from(text));
  if (!parsed.ok) throw new Error(parsed.diagnostics.map((d) => `${d.path}: ${d.message}`).join("\n"));
  return parsed.policy;
}

function editedText(...edits: Array<[string, string]>): string {
  let text = SHIPPED;
  for (const [from, to] of edits) {
    expect(text).toContain(from);
    text = text.replace(from, to);
  }
  return text;
}

const shipped = policyOf(SHIPPED);
const paths = (candidate: Policy, running: Policy = shipped) => policyLoosenings(running, candidate).map((l) => l.path);

const UNIT_RULE = '{ glob = "**/*.{service,socket,timer,target,path,mount}", risk = "high", hard_manual = "service_restart", description = "systemd units: a change takes a daemon-reload and a restart" },';
const DOCS_RULE = '{ glob = "docs/**", risk = "low", description = "documentation" },';
const CONF_RULE = '{ glob = "**/*.conf", risk = "high", hard_manual = "service_restart" },';

describe("[drift] loosenings the shipped tests leave unchecked", () => {
  it("another drift backup_location (or executor) is listed", () => {
    const backup = policyOf(editedText(['backup_location = "/var/backups/iskra-openclaw/deploy/<plan digest>/"', 'backup_location = "/tmp/<plan digest>/"']));
    expect(paths(backup)).toEqual(["policy.drift.backup_location"]);
    const executor = policyOf(editedText(['executor = "scripts/iskra-openclaw-deploy.sh"\nlock', 'executor = "scripts/other-deploy.sh"\nlock']));
    expect(paths(executor)).toEqual(["policy.drift.executor"]);
  });

  it("an added risk rule that is high but names no hard-manual class is listed (it takes the unit files' service_restart away)", () => {
    const candidate = policyOf(editedText([UNIT_RULE, `{ glob = "**/*.service", risk = "high" },\n  ${UNIT_RULE}`]));
    expect(paths(candidate)).toEqual(["policy.drift.risk_rules[0]"]);
    // And one with a hard-manual class but below high.
    const medium = policyOf(editedText([UNIT_RULE, `{ glob = "**/*.service", risk = "medium", hard_manual = "service_restart" },\n  ${UNIT_RULE}`]));
    expect(paths(medium)).toEqual(["policy.drift.risk_rules[0]"]);
  });

  it("a risk rule moved one place up, before the rule just ahead of it, is listed", () => {
    const running = policyOf(editedText([DOCS_RULE, `${CONF_RULE}\n  ${DOCS_RULE}`]));
    const swapped = policyOf(editedText([DOCS_RULE, `${DOCS_RULE}\n  ${CONF_RULE}`]));
    // docs/x.conf was high and service_restart; now docs/** judges it low.
    expect(policyLoosenings(running, swapped)).toEqual([
      { path: "policy.drift.risk_rules[9]", change: "`docs/**` moved before `**/*.conf`: a file both match is now judged by `docs/**`" },
    ]);
  });
});

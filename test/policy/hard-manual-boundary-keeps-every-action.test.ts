import { parse as parseToml } from "smol-toml";
import { describe, expect, it } from "vitest";
import { policyProblems, SHIPPED } from "../helpers/policy-text.js";


// Written out here, not read from the source: the product boundary is what the operator owns,
// and no action of it may silently leave it.
const BOUNDARY: Array<[string, string]> = [
  ...["service.restart", "service.start", "service.stop", "service.reload", "systemd.daemon_reload", "gateway.restart"].map((a): [string, string] => ["service_restart", a]),
  ...["deploy.apply", "deploy.sync", "deploy.rollback", "files.write", "files.copy", "config.apply"].map((a): [string, string] => ["deploy_apply_sync", a]),
  ...["auth.change", "auth.rotate_token", "network.change", "firewall.change", "dns.change", "tls.replace"].map((a): [string, string] => ["auth_network_change", a]),
  ...["files.delete", "data.purge", "cache.purge", "backup.delete", "db.drop", "process.kill"].map((a): [string, string] => ["destructive", a]),
  ...["runtime.upgrade", "runtime.downgrade", "package.install", "package.upgrade"].map((a): [string, string] => ["runtime_upgrade", a]),
];

/** The shipped policy with one action removed from one hard-manual class's list. */
function withoutAction(cls: string, action: string): string {
  const header = `[hard_manual.${cls}]\n`;
  const at = SHIPPED.indexOf(header);
  if (at === -1) throw new Error(`no ${header} in the shipped policy`);
  const listStart = SHIPPED.indexOf("actions = [", at);
  const listEnd = SHIPPED.indexOf("]", listStart);
  const list = SHIPPED.slice(listStart, listEnd + 1);
  const actions = (parseToml(list) as { actions: string[] }).actions;
  if (!actions.includes(action)) throw new Error(`${action} not in the shipped ${cls}`);
  const kept = `actions = [${actions.filter((a) => a !== action).map((a) => JSON.stringify(a)).join(", ")}]`;
  return SHIPPED.slice(0, listStart) + kept + SHIPPED.slice(listEnd + 1);
}


describe("every action of the product boundary stays hard-manual", () => {
  it.each(BOUNDARY)("a policy dropping `%s` action `%s` is refused, naming it", (cls, action) => {
    expect(policyProblems(withoutAction(cls, action))).toEqual([
      `policy.hard_manual.${cls}.actions: missing \`${action}\`; the operator owns it by the product boundary, so add it back (a policy may add actions, never drop these)`,
    ]);
  });

  it.each(BOUNDARY)("a dry-run class allowing `%s` action `%s` is refused even after the policy moves it out of its class", (cls, action) => {
    const toml = withoutAction(cls, action).replace('allowed_actions = ["doctor.lint", "health.probe", "logs.collect"]', `allowed_actions = ["doctor.lint", "health.probe", "logs.collect", "${action}"]`);
    expect(policyProblems(toml)).toContain(
      `policy.repair_classes.runtime_diagnostics.allowed_actions[3]: \`${action}\` is a hard-manual action of \`${cls}\`; it cannot be allowed for a dry run, list the class in \`hard_manual\` instead`,
    );
  });
});

import { describe, expect, it } from "vitest";
import type { Policy } from "../../src/policy/policy.js";
import { policyLoosenings } from "../../src/replay/policy-loosenings.js";
import { edited, policyOf, SHIPPED } from "../helpers/policy-text.js";

const shipped = policyOf(SHIPPED);
const paths = (candidate: Policy, running: Policy = shipped) => policyLoosenings(running, candidate).map((l) => l.path);

const UPGRADE_CLASS = `mutation = true
risk = "high"
requires = ["runtime-truth-report", "openclaw-upgrade-simulator", "safe-update-dry-run"]
hard_manual = ["runtime_upgrade", "service_restart"]`;
const DIAGNOSTICS_ACTIONS = 'allowed_actions = ["doctor.lint", "health.probe", "logs.collect"]';
const UNIT_RULE = '{ glob = "**/*.{service,socket,timer,target,path,mount}", risk = "high", hard_manual = "service_restart", description = "systemd units: a change takes a daemon-reload and a restart" },';
const DOCS_RULE = '{ glob = "docs/**", risk = "low", description = "documentation" },';
const USER_UNITS = '{ local = "systemd/user/", target = "/home/iskra/.config/systemd/user/" },';
const WHOLE_TREE = '{ local = "", target = "/opt/iskra-openclaw/" },';
const CONF_RULE = '{ glob = "**/*.conf", risk = "high", hard_manual = "service_restart" },';

describe("policyLoosenings: a candidate compared with the running policy as written", () => {
  it("finds nothing in the same policy, a comment edit, or a tightening", () => {
    expect(policyLoosenings(shipped, shipped)).toEqual([]);
    expect(paths(edited(["# Check a change with:", "# Check any change with:"]))).toEqual([]);
    const stricter = edited(
      ['skew_tolerance = "2m"', 'skew_tolerance = "1m"'],
      ['[evidence.autoheal-dashboard]\nmax_age = "30m"', '[evidence.autoheal-dashboard]\nmax_age = "10m"'],
      ['mutation = false\nrisk = "low"\nrequires = ["runtime-truth-report", "autoheal-dashboard"]', 'mutation = true\nrisk = "medium"\nrequires = ["runtime-truth-report", "autoheal-dashboard", "incident-packet"]'],
      [DIAGNOSTICS_ACTIONS, 'allowed_actions = ["doctor.lint"]'],
      ['default_risk = "medium"', 'default_risk = "high"'],
      [DOCS_RULE, '{ glob = "docs/**", risk = "medium", hard_manual = "deploy_apply_sync", description = "documentation" },'],
      ["[repair_classes.cache_cleanup]\n", "[repair_classes.cache_cleanup_v2]\n"],
    );
    // A class renamed is a class removed (stricter) and a new one (looser).
    expect(paths(stricter)).toEqual(["policy.repair_classes.cache_cleanup_v2"]);
    expect(paths(stricter, edited(["[repair_classes.cache_cleanup]\n", "[repair_classes.cache_cleanup_v2]\n"]))).toEqual([]);
  });

  it("the clock-skew tolerance and each kind's maximum age, raised", () => {
    expect(policyLoosenings(shipped, edited(['skew_tolerance = "2m"', 'skew_tolerance = "10m"'], ['[evidence.incident-packet]\nmax_age = "24h"', '[evidence.incident-packet]\nmax_age = "2d"']))).toEqual([
      { path: "policy.clock.skew_tolerance", change: "raised from `2m` to `10m`: evidence dated further in the future passes" },
      { path: "policy.evidence.incident-packet.max_age", change: "raised from `24h` to `2d`: older `incident-packet` evidence passes" },
    ]);
    // The same duration written another way is no change.
    expect(paths(edited(['[evidence.incident-packet]\nmax_age = "24h"', '[evidence.incident-packet]\nmax_age = "1d"']))).toEqual([]);
  });

  it("a hard-manual action dropped from every class", () => {
    const running = edited(['actions = ["files.delete", "data.purge", "cache.purge", "backup.delete", "db.drop", "process.kill"]', 'actions = ["files.delete", "data.purge", "cache.purge", "backup.delete", "db.drop", "process.kill", "cache.vacuum"]']);
    expect(policyLoosenings(running, shipped)).toEqual([
      { path: "policy.hard_manual.destructive.actions", change: "`cache.vacuum` is no longer hard-manual: a plan step naming it no longer goes to the operator (`plan_step_hard_manual`)" },
    ]);
  });

  it("a repair class: new, made non-mutating, with fewer hard-manual classes, required kinds or postchecks, more allowed actions, lower risk", () => {
    const candidate = edited(
      [UPGRADE_CLASS, 'mutation = true\nrisk = "medium"\nrequires = ["runtime-truth-report", "safe-update-dry-run"]\nhard_manual = ["runtime_upgrade"]'],
      [DIAGNOSTICS_ACTIONS, 'allowed_actions = ["doctor.lint", "health.probe", "logs.collect", "cache.vacuum"]'],
      ['postchecks = ["openclaw health --json reports ok", "free space is back above the alert threshold"]', 'postchecks = ["openclaw health --json reports ok"]'],
      ["# Deploy-drift lane (#65)", '[repair_classes.log_rotation]\ndescription = "x"\nmutation = false\nrisk = "low"\nrequires = ["runtime-truth-report"]\nexecutor = "x"\n\n# Deploy-drift lane (#65)'],
    );
    expect(policyLoosenings(shipped, candidate)).toEqual([
      { path: "policy.repair_classes.runtime_diagnostics.allowed_actions", change: "`cache.vacuum` added: a plan step naming it no longer needs a human (`plan_step_not_allowed`)" },
      { path: "policy.repair_classes.openclaw_upgrade.hard_manual", change: "`service_restart` removed: the class no longer touches it for the gate (`hard_manual_class`)" },
      { path: "policy.repair_classes.openclaw_upgrade.requires", change: "`openclaw-upgrade-simulator` removed: a bundle without it is no longer blocked (`evidence_missing`)" },
      { path: "policy.repair_classes.openclaw_upgrade.risk", change: "lowered from `high` to `medium`: the operator is shown less risk" },
      { path: "policy.repair_classes.cache_cleanup.postchecks", change: "`free space is back above the alert threshold` removed: an approved repair no longer has to pass it" },
      { path: "policy.repair_classes.log_rotation", change: "a new repair class: a candidate naming it was blocked (`repair_class_unknown`), now its own checks judge it" },
    ]);
    const nonMutating = edited([UPGRADE_CLASS, UPGRADE_CLASS.replace("mutation = true", "mutation = false").replace('\nhard_manual = ["runtime_upgrade", "service_restart"]', "")]);
    expect(paths(nonMutating)).toEqual(["policy.repair_classes.openclaw_upgrade.mutation", "policy.repair_classes.openclaw_upgrade.hard_manual"]);
  });

  it("[drift]: added, removed, lower default or mode-change risk, another executor, lock or backup place, fewer postchecks", () => {
    const withoutDrift = policyOf(SHIPPED.slice(0, SHIPPED.indexOf("[drift]")));
    expect(policyLoosenings(withoutDrift, shipped)).toEqual([{ path: "policy.drift", change: "added: every file a drift plan changed was high risk without it; now its rules judge them" }]);
    expect(paths(withoutDrift)).toEqual(["policy.drift"]);
    const candidate = edited(
      ['default_risk = "medium"', 'default_risk = "low"'],
      ['mode_change_risk = "high"', 'mode_change_risk = "medium"'],
      ['lock = "/run/lock/iskra-openclaw-deploy.lock"', 'lock = "/tmp/other.lock"'],
      ['  "/readyz answers ready and the gateway is not draining",\n]', "]"],
    );
    expect(policyLoosenings(shipped, candidate)).toEqual([
      { path: "policy.drift.default_risk", change: "lowered from `medium` to `low`: a file no rule matches is less risky" },
      { path: "policy.drift.mode_change_risk", change: "lowered from `high` to `medium`: a mode change or risky mode raises a file less" },
      { path: "policy.drift.lock", change: "changed from `/run/lock/iskra-openclaw-deploy.lock` to `/tmp/other.lock`: a plan naming the new deploy lock passes; check it is the real one" },
      { path: "policy.drift.postchecks", change: "`/readyz answers ready and the gateway is not draining` removed: an apply no longer has to pass it" },
    ]);
  });

  it("[drift] paths: a new mapping (its files were unmapped, so high risk) and a moved target", () => {
    const candidate = edited(['{ local = "systemd/user/", target = "/home/iskra/.config/systemd/user/" },', '{ local = "systemd/user/", target = "/etc/systemd/system/" },\n  { local = "extra/", target = "/srv/extra/" },']);
    expect(paths(candidate)).toEqual(["policy.drift.paths[0].target", "policy.drift.paths[1]"]);
    const swapped = edited(['  { local = "systemd/user/", target = "/home/iskra/.config/systemd/user/" },\n  { local = "", target = "/opt/iskra-openclaw/" },', '  { local = "", target = "/opt/iskra-openclaw/" },\n  { local = "systemd/user/", target = "/home/iskra/.config/systemd/user/" },']);
    expect(policyLoosenings(shipped, swapped)).toEqual([{ path: "policy.drift.paths[0]", change: "the whole tree (`\"\"`) moved before `systemd/user/`: a file both cover now lands where the whole tree (`\"\"`) puts it" }]);
  });

  it("[drift] paths: a removed mapping whose files fall to another mapping, so land elsewhere", () => {
    // systemd/user/x.service now lands in /opt/iskra-openclaw/systemd/user/, not ~/.config/systemd/user/.
    expect(policyLoosenings(shipped, edited([`  ${USER_UNITS}\n`, ""]))).toEqual([
      { path: "policy.drift.paths", change: "`systemd/user/` (to `/home/iskra/.config/systemd/user/`) removed: a file it covered now lands where the whole tree (`\"\"`) puts it" },
    ]);
    // A file mapping falls to a folder one as well.
    const withFile = edited([WHOLE_TREE, `{ local = "bin/run.sh", target = "/usr/local/bin/run.sh" },\n  ${WHOLE_TREE}`]);
    expect(policyLoosenings(withFile, shipped)).toEqual([
      { path: "policy.drift.paths", change: "`bin/run.sh` (to `/usr/local/bin/run.sh`) removed: a file it covered now lands where the whole tree (`\"\"`) puts it" },
    ]);
  });

  it("[drift] paths: a removed mapping whose files fall to no mapping (high risk) or were another's is none", () => {
    // Without the whole tree, every file outside systemd/user/ is unmapped, so high risk.
    expect(paths(edited([`\n  ${WHOLE_TREE}`, ""]))).toEqual([]);
    const extra = '{ local = "extra/", target = "/srv/extra/" },';
    expect(paths(edited([`\n  ${WHOLE_TREE}`, ""]), edited([WHOLE_TREE, extra]))).toEqual([]);
    // A mapping after the whole tree covered nothing the whole tree had not taken already.
    expect(paths(shipped, edited([WHOLE_TREE, `${WHOLE_TREE}\n  ${extra}`]))).toEqual([]);
    // One the whole tree would take, and one inside it that a kept mapping would not: a file of
    // extra/ outside extra/sub/ falls to the whole tree.
    const running = edited([WHOLE_TREE, `{ local = "extra/sub/", target = "/srv/sub/" },\n  ${extra}\n  ${WHOLE_TREE}`]);
    const candidate = edited([WHOLE_TREE, `{ local = "extra/sub/", target = "/srv/sub/" },\n  ${WHOLE_TREE}`]);
    expect(policyLoosenings(running, candidate)).toEqual([
      { path: "policy.drift.paths", change: "`extra/` (to `/srv/extra/`) removed: a file it covered now lands where the whole tree (`\"\"`) puts it" },
    ]);
  });

  it("[drift] risk rules: removed, lowered, without its hard-manual class, added lax, moved; an added strict rule is none", () => {
    expect(policyLoosenings(shipped, edited([`${UNIT_RULE}\n`, ""]))).toEqual([
      { path: "policy.drift.risk_rules", change: "`**/*.{service,socket,timer,target,path,mount}` (high, service_restart) removed: the files it matched fall to a later rule or `default_risk`" },
    ]);
    expect(paths(edited([UNIT_RULE, UNIT_RULE.replace('risk = "high", hard_manual = "service_restart"', 'risk = "medium"')]))).toEqual(["policy.drift.risk_rules[0].risk", "policy.drift.risk_rules[0].hard_manual"]);
    // Another hard-manual class is still the operator's.
    expect(paths(edited([UNIT_RULE, UNIT_RULE.replace('hard_manual = "service_restart"', 'hard_manual = "deploy_apply_sync"')]))).toEqual([]);
    expect(paths(edited([UNIT_RULE, `{ glob = "**/*.conf", risk = "high", hard_manual = "service_restart" },\n  ${UNIT_RULE}`]))).toEqual([]);
    expect(policyLoosenings(shipped, edited([UNIT_RULE, `{ glob = "**/*.conf", risk = "low" },\n  ${UNIT_RULE}`]))).toEqual([
      { path: "policy.drift.risk_rules[0]", change: "`**/*.conf` added (low, no hard-manual class): a file it matches first may have been riskier under a later rule or `default_risk`" },
    ]);
    // docs/** moved before the unit rule: a unit file under docs/ is now low risk.
    const moved = edited([`${DOCS_RULE}\n`, ""], [UNIT_RULE, `${DOCS_RULE}\n  ${UNIT_RULE}`]);
    expect(policyLoosenings(shipped, moved)).toEqual([{ path: "policy.drift.risk_rules[0]", change: "`docs/**` moved before `**/*.{service,socket,timer,target,path,mount}`: a file both match is now judged by `docs/**`" }]);
  });
});

describe("[drift] loosenings one step from the shipped rules", () => {
  it("another drift backup_location (or executor) is listed", () => {
    const backup = edited(['backup_location = "/var/backups/iskra-openclaw/deploy/<plan digest>/"', 'backup_location = "/tmp/<plan digest>/"']);
    expect(paths(backup)).toEqual(["policy.drift.backup_location"]);
    const executor = edited(['executor = "scripts/iskra-openclaw-deploy.sh"\nlock', 'executor = "scripts/other-deploy.sh"\nlock']);
    expect(paths(executor)).toEqual(["policy.drift.executor"]);
  });

  it("an added risk rule that is high but names no hard-manual class is listed (it takes the unit files' service_restart away)", () => {
    const candidate = edited([UNIT_RULE, `{ glob = "**/*.service", risk = "high" },\n  ${UNIT_RULE}`]);
    expect(paths(candidate)).toEqual(["policy.drift.risk_rules[0]"]);
    // And one with a hard-manual class but below high.
    const medium = edited([UNIT_RULE, `{ glob = "**/*.service", risk = "medium", hard_manual = "service_restart" },\n  ${UNIT_RULE}`]);
    expect(paths(medium)).toEqual(["policy.drift.risk_rules[0]"]);
  });

  it("a risk rule moved one place up, before the rule just ahead of it, is listed", () => {
    const running = edited([DOCS_RULE, `${CONF_RULE}\n  ${DOCS_RULE}`]);
    const swapped = edited([DOCS_RULE, `${DOCS_RULE}\n  ${CONF_RULE}`]);
    // docs/x.conf was high and service_restart; now docs/** judges it low.
    expect(policyLoosenings(running, swapped)).toEqual([
      { path: "policy.drift.risk_rules[9]", change: "`docs/**` moved before `**/*.conf`: a file both match is now judged by `docs/**`" },
    ]);
  });
});

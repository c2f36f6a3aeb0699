import { formatPath, quote } from "../diagnostics/diagnostic.js";
import { RISK_RANK, type DriftRules, type PathMapping } from "../drift/drift-rules.js";
import { EVIDENCE_KINDS } from "../evidence/kinds.js";
import type { Policy } from "../policy/policy.js";
import type { RepairClassDocument, RiskLevel } from "../policy/policy-schema.js";
import { coversAll, sharedCover } from "./mapping-cover.js";

/** One way a candidate policy lets through what the policy in force holds or blocks. */
export interface PolicyLoosening {
  /** Where in the candidate, as `policy validate` names it: `policy.evidence.autoheal-dashboard.max_age`. */
  path: string;
  /** What changed and what it lets through. */
  change: string;
}

type Path = Array<string | number>;

/**
 * Pure: every way `candidate` is laxer than `running`, read from the two policies alone. Replaying
 * past verdicts shows only what those verdicts exercise; a raised `max_age` no recorded evidence was
 * old enough to meet, or a class no candidate asked for yet, loosens the gate all the same.
 *
 * Covers each setting the engine reads (see src/verdict): the clock-skew tolerance, each kind's
 * maximum age, the hard-manual actions, each repair class's `mutation`, `hard_manual`, `requires`
 * and `allowed_actions`, and the `[drift]` section. A repair class's `risk`, `executor` and
 * `postchecks` are what every verdict shows the operator and what an approved repair must pass:
 * weakening them, or naming another executor, counts too.
 * Where a change may loosen or not depending on the files (a drift rule or mapping added, removed
 * or moved), it is listed: the operator looks.
 */
export function policyLoosenings(running: Policy, candidate: Policy): PolicyLoosening[] {
  if (running.digest === candidate.digest) return [];
  const out: PolicyLoosening[] = [];
  const add = (path: Path, change: string) => out.push({ path: formatPath("policy", path), change });

  if (candidate.skewToleranceSeconds > running.skewToleranceSeconds) {
    add(["clock", "skew_tolerance"], `raised from ${quote(running.document.clock.skew_tolerance)} to ${quote(candidate.document.clock.skew_tolerance)}: evidence dated further in the future passes`);
  }
  for (const kind of EVIDENCE_KINDS) {
    if (candidate.maxAgeSeconds[kind] > running.maxAgeSeconds[kind]) {
      add(["evidence", kind, "max_age"], `raised from ${quote(running.document.evidence[kind].max_age)} to ${quote(candidate.document.evidence[kind].max_age)}: older \`${kind}\` evidence passes`);
    }
  }
  hardManualLoosenings(running, candidate, add);
  for (const [name, cls] of candidate.repairClasses) {
    const before = running.repairClasses.get(name);
    if (before === undefined) add(["repair_classes", name], "a new repair class: a candidate naming it was blocked (`repair_class_unknown`), now its own checks judge it");
    else repairClassLoosenings(name, before, cls, add);
  }
  driftLoosenings(running.drift, candidate.drift, add);
  return out;
}

type Add = (path: Path, change: string) => void;

/** An action the candidate no longer makes hard-manual may pass as an allowed action of a class. */
function hardManualLoosenings(running: Policy, candidate: Policy, add: Add): void {
  const gone = new Map<string, string[]>();
  for (const [action, owner] of running.hardManualActions) {
    if (!candidate.hardManualActions.has(action)) gone.set(owner, [...(gone.get(owner) ?? []), action]);
  }
  for (const [owner, actions] of gone) {
    const where = Object.hasOwn(candidate.document.hard_manual, owner) ? ["hard_manual", owner, "actions"] : ["hard_manual", owner];
    add(where, `${names(actions)} ${actions.length === 1 ? "is" : "are"} no longer hard-manual: a plan step naming ${actions.length === 1 ? "it" : "one"} no longer goes to the operator (\`plan_step_hard_manual\`)`);
  }
}

function repairClassLoosenings(name: string, before: RepairClassDocument, after: RepairClassDocument, add: Add): void {
  const at = (key: string): Path => ["repair_classes", name, key];
  if (before.mutation && !after.mutation) add(at("mutation"), "turned from `true` to `false`: the class no longer needs the operator (`mutation_requires_operator`)");
  const hardManual = removed(before.hard_manual, after.hard_manual);
  if (hardManual.length > 0) add(at("hard_manual"), `${names(hardManual)} removed: the class no longer touches ${hardManual.length === 1 ? "it" : "them"} for the gate (\`hard_manual_class\`)`);
  const requires = removed(before.requires, after.requires);
  if (requires.length > 0) add(at("requires"), `${names(requires)} removed: a bundle without ${requires.length === 1 ? "it" : "them"} is no longer blocked (\`evidence_missing\`)`);
  const allowed = removed(after.allowed_actions, before.allowed_actions);
  if (allowed.length > 0) add(at("allowed_actions"), `${names(allowed)} added: a plan step naming ${allowed.length === 1 ? "it" : "one"} no longer needs a human (\`plan_step_not_allowed\`)`);
  if (lower(after.risk, before.risk)) add(at("risk"), `lowered from ${quote(before.risk)} to ${quote(after.risk)}: the operator is shown less risk`);
  if (before.executor !== after.executor) add(at("executor"), `changed from ${quote(before.executor)} to ${quote(after.executor)}: every verdict of the class shows the operator the new one as what carries the repair out; check it`);
  const postchecks = removed(before.postchecks, after.postchecks);
  if (postchecks.length > 0) add(at("postchecks"), `${names(postchecks)} removed: an approved repair no longer has to pass ${postchecks.length === 1 ? "it" : "them"}`);
}

/**
 * The gate judges a drift plan's files again with its own rules and keeps the worse of that and
 * the plan's label, so a replayed plan made under the running policy hides a laxer rule: only the
 * rules themselves show it.
 */
function driftLoosenings(before: DriftRules | null, after: DriftRules | null, add: Add): void {
  if (before === null && after === null) return;
  if (before === null) {
    add(["drift"], "added: every file a drift plan changed was high risk without it; now its rules judge them");
    return;
  }
  if (after === null) {
    add(["drift"], "removed: a drift plan's targets, executor, lock, backup location and postchecks are no longer checked against the policy, and its files' hard-manual classes come from the plan alone");
    return;
  }
  if (lower(after.defaultRisk, before.defaultRisk)) add(["drift", "default_risk"], `lowered from ${quote(before.defaultRisk)} to ${quote(after.defaultRisk)}: a file no rule matches is less risky`);
  if (lower(after.modeChangeRisk, before.modeChangeRisk)) add(["drift", "mode_change_risk"], `lowered from ${quote(before.modeChangeRisk)} to ${quote(after.modeChangeRisk)}: a mode change or risky mode raises a file less`);
  // A plan must name these as the policy does; another value is another apply, so the operator checks it.
  const named: Array<[key: string, label: string, from: string, to: string]> = [
    ["executor", "executor", before.executor, after.executor],
    ["lock", "deploy lock", before.lock, after.lock],
    ["backup_location", "backup location", before.backupLocation, after.backupLocation],
  ];
  for (const [key, label, from, to] of named) {
    if (from !== to) add(["drift", key], `changed from ${quote(from)} to ${quote(to)}: a plan naming the new ${label} passes; check it is the real one`);
  }
  const postchecks = removed(before.postchecks, after.postchecks);
  if (postchecks.length > 0) add(["drift", "postchecks"], `${names(postchecks)} removed: an apply no longer has to pass ${postchecks.length === 1 ? "it" : "them"}`);
  pathLoosenings(before, after, add);
  riskRuleLoosenings(before, after, add);
}

/** Where files land: a new, moved or removed mapping sends files elsewhere, or maps files that were unmapped (high risk). */
function pathLoosenings(before: DriftRules, after: DriftRules, add: Add): void {
  removedMappingLoosenings(before, after, add);
  let lastKept = -1;
  let reordered = false;
  after.paths.forEach((mapping, i) => {
    const j = before.paths.findIndex((old) => old.local === mapping.local);
    if (j < 0) {
      newMappingLoosening(before, after.paths.slice(0, i), mapping, ["drift", "paths", i], add);
      return;
    }
    const was = before.paths[j]!;
    if (was.target !== mapping.target) add(["drift", "paths", i, "target"], `${local(mapping.local)} now lands at ${quote(mapping.target)}, not ${quote(was.target)}: the risk rules judge manifest paths, not where files land`);
    // The first mapping covering a path wins: another order sends some files elsewhere.
    if (j < lastKept && !reordered) {
      reordered = true;
      const ahead = before.paths[lastKept]!.local;
      add(["drift", "paths", after.paths.findIndex((m) => m.local === ahead)], `${local(ahead)} moved before ${local(mapping.local)}: a file both cover now lands where ${local(ahead)} puts it`);
    }
    lastKept = Math.max(lastKept, j);
  });
}

/**
 * A new mapping wins its files unless a mapping ahead of it covers them all (the first match wins).
 * They then land where it puts them: before, the first mapping covering them all put them elsewhere,
 * or, with none, they were unmapped and high risk.
 */
function newMappingLoosening(before: DriftRules, ahead: readonly PathMapping[], mapping: PathMapping, path: Path, add: Add): void {
  if (ahead.some((other) => coversAll(other, mapping))) return;
  const was = before.paths.find((old) => coversAll(old, mapping));
  const anew = `maps ${local(mapping.local)} anew (to ${quote(mapping.target)})`;
  if (was === undefined) add(path, `${anew}: files it covers were unmapped, so high risk`);
  else add(path, `${anew}: files it covers landed where ${local(was.local)} put them (${quote(was.target)}); the risk rules judge manifest paths, not where files land`);
}

/**
 * A removed mapping's files fall to another mapping, which puts them elsewhere (the risk rules judge
 * manifest paths, not where files land), or to none, which makes them high risk. Only when no file
 * it was the first to cover falls to another mapping is it no loosening: anything else is listed.
 */
function removedMappingLoosenings(before: DriftRules, after: DriftRules, add: Add): void {
  before.paths.forEach((mapping, i) => {
    if (after.paths.some((kept) => kept.local === mapping.local)) return;
    // What an earlier mapping covers never landed where this one puts it. A folder is covered only
    // by one mapping at or above it (it holds paths no narrower mappings can list), so one is enough.
    const earlier = before.paths.slice(0, i);
    const heir = after.paths.find((other) => {
      const shared = sharedCover(mapping, other);
      return shared !== null && !earlier.some((first) => coversAll(first, shared));
    });
    if (heir !== undefined) add(["drift", "paths"], `${local(mapping.local)} (to ${quote(mapping.target)}) removed: a file it covered now lands where ${local(heir.local)} puts it`);
  });
}

/** A mapping by its `local`; `""` maps the whole tree. */
function local(text: string): string {
  return text === "" ? 'the whole tree (`""`)' : quote(text);
}

/** Rules are matched in order, first match wins, and each glob is listed once (cross-checks.ts): pair them by glob. */
function riskRuleLoosenings(before: DriftRules, after: DriftRules, add: Add): void {
  const afterIndex = new Map(after.riskRules.map((rule, i) => [rule.glob, i]));
  const beforeIndex = new Map(before.riskRules.map((rule, i) => [rule.glob, i]));
  for (const rule of before.riskRules) {
    if (!afterIndex.has(rule.glob)) add(["drift", "risk_rules"], `${quote(rule.glob)} (${rule.risk}${rule.hardManual === null ? "" : `, ${rule.hardManual}`}) removed: the files it matched fall to a later rule or \`default_risk\``);
  }
  let lastKept = -1;
  let reordered = false;
  after.riskRules.forEach((rule, i) => {
    const j = beforeIndex.get(rule.glob);
    if (j === undefined) {
      // Only a rule that is high risk and hard-manual takes nothing from the rules after it.
      if (rule.risk !== "high" || rule.hardManual === null) {
        add(["drift", "risk_rules", i], `${quote(rule.glob)} added (${rule.risk}${rule.hardManual === null ? ", no hard-manual class" : `, ${rule.hardManual}`}): a file it matches first may have been riskier under a later rule or \`default_risk\``);
      }
      return;
    }
    const was = before.riskRules[j]!;
    if (lower(rule.risk, was.risk)) add(["drift", "risk_rules", i, "risk"], `${quote(rule.glob)} lowered from ${quote(was.risk)} to ${quote(rule.risk)}`);
    if (was.hardManual !== null && rule.hardManual === null) add(["drift", "risk_rules", i, "hard_manual"], `${quote(rule.glob)} no longer names hard-manual class ${quote(was.hardManual)} (\`drift_hard_manual\`)`);
    if (j < lastKept && !reordered) {
      reordered = true;
      const ahead = before.riskRules[lastKept]!.glob;
      add(["drift", "risk_rules", afterIndex.get(ahead)!], `${quote(ahead)} moved before ${quote(rule.glob)}: a file both match is now judged by ${quote(ahead)}`);
    }
    lastKept = Math.max(lastKept, j);
  });
}

function removed<T>(before: readonly T[], after: readonly T[]): T[] {
  return before.filter((entry) => !after.includes(entry));
}

function lower(after: RiskLevel, before: RiskLevel): boolean {
  return RISK_RANK[after] < RISK_RANK[before];
}

function names(values: readonly string[]): string {
  return values.map((value) => quote(value)).join(", ");
}

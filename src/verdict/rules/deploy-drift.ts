import { quote } from "../../diagnostics/diagnostic.js";
import { isRecord } from "../../document/is-record.js";
import { targetOf, worseRisk, type DriftRules } from "../../drift/drift-rules.js";
import { judgeFile } from "../../drift/judge-file.js";
import { DRIFT_EVIDENCE_KIND } from "../../drift/plan-item.js";
import { planDigest } from "../../drift/plan-digest.js";
import { ignoreGlobsDiffer, PLAN_SCHEMA_ID, type DriftPlan } from "../../drift/plan-schema.js";
import { validatePlan } from "../../drift/validate-plan.js";
import type { EvidenceItem } from "../../evidence/bundle-schema.js";
import { formatDuration } from "../../time/duration.js";
import { parseIsoTime } from "../../time/iso-time.js";
import type { KindInspector } from "../kind-inspectors.js";
import { describeItem, evidenceRef, reason, type ManifestTime, type RuleContext } from "../rule-context.js";
import type { Reason } from "../verdict-types.js";

/** Enough of a broken plan's problems to fix it; the rest would bury the verdict. */
const MAX_INVALID_REASONS = 10;
/** Paths named in one reason; the plan itself lists every file. */
const MAX_NAMED_FILES = 5;

/**
 * `deploy-drift-probe`: the item's `data` is a drift plan (`patchwarden drift plan`). The gate
 * checks the plan is whole and unedited, that neither manifest is stale, and judges every
 * differing file again with its own policy's `[drift]` rules, taking the worse of that and the
 * plan's own label: a plan made under a laxer policy cannot talk its way to a better verdict. A
 * policy without `[drift]` rules cannot judge files, so every differing file counts as high risk.
 */
export const inspectDeployDrift: KindInspector = (item, index, context) => {
  const extra = (path: string) => ({ path, evidence: evidenceRef(item, index) });
  const base = `bundle.evidence[${index}].data`;
  if (item.data["schema"] !== PLAN_SCHEMA_ID) {
    return [
      reason(
        "drift_plan_invalid",
        `${describeItem(item, index)} holds no drift plan: its data ${item.data["schema"] === undefined ? "has no `schema`" : `has \`schema\` ${quote(item.data["schema"])}`}, not \`${PLAN_SCHEMA_ID}\`; make the plan with \`patchwarden drift plan --format item\` (or \`--into\` the bundle)`,
        extra(`${base}.schema`),
      ),
    ];
  }
  const validated = validatePlan(item.data, base);
  if (!validated.ok) {
    return validated.diagnostics.slice(0, MAX_INVALID_REASONS).map((d) =>
      reason("drift_plan_invalid", `${describeItem(item, index)} is not a valid drift plan: ${d.message}; make the plan again with \`patchwarden drift plan\` instead of editing it`, extra(d.path)),
    );
  }
  const plan = validated.value;
  const recomputed = planDigest(plan);
  if (recomputed !== plan.digest) {
    return [
      reason("drift_plan_digest_mismatch", `${describeItem(item, index)} records digest ${quote(plan.digest)}, but its contents hash to ${quote(recomputed)}; the plan was edited after it was made, so make it again`, extra(`${base}.digest`)),
    ];
  }
  const otherHost = hostMismatchReason(item, index, plan, context, base);
  const reasons: Reason[] = [...policyMismatchReasons(item, index, plan, context, base), ...manifestTimeReasons(item, index, context)];
  if (otherHost !== null) reasons.unshift(otherHost);
  if (!plan.drift) {
    // Another host being in sync says nothing of the target's.
    if (otherHost === null) reasons.push(reason("drift_none", `${describeItem(item, index)} found no drift: all ${plan.counts.unchanged} file(s) on ${quote(plan.remote.host)} match the repository, so there is nothing to deploy`, extra(`${base}.drift`)));
    return reasons;
  }
  if (ignoreGlobsDiffer(plan)) {
    reasons.push(
      reason(
        "drift_ignore_mismatch",
        `${describeItem(item, index)} compares manifests that skipped different globs (local: ${quotedList(plan.local.ignore)}; remote: ${quotedList(plan.remote.ignore)}), so files skipped on one side show as added or removed; take both with the same \`--ignore\``,
        extra(`${base}.remote.ignore`),
      ),
    );
  }
  reasons.push(...fileRiskReasons(item, index, plan, context, base));
  return reasons;
};

/** Indexes of a plan's files, by how the gate judges them. */
interface JudgedFiles {
  high: number[];
  medium: number[];
  /** Of `medium`, the files no risk rule matches: the policy's `default_risk` decided. */
  mediumByDefault: number[];
  /** Hard-manual class name → the files in it. */
  byClass: Map<string, number[]>;
}

/**
 * Each differing file judged again: the worse of the plan's label and the policy's `[drift]`
 * rules. A gate that cannot judge a file does not take the plan's word for it: as with a file no
 * path mapping covers, it is high risk.
 */
function judgeFiles(plan: DriftPlan, rules: DriftRules | null): JudgedFiles {
  const links = planLinks(plan);
  const judged: JudgedFiles = { high: [], medium: [], mediumByDefault: [], byClass: new Map() };
  plan.files.forEach((file, i) => {
    let risk = file.risk;
    let byDefault = false;
    const classes = new Set<string>(file.hard_manual === null ? [] : [file.hard_manual]);
    if (rules !== null) {
      const own = judgeFile(rules, file, links);
      risk = worseRisk(risk, own.risk);
      // The policy's default alone makes it this risky: the reason says so, as no rule names it.
      byDefault = own.rule === null && rules.defaultRisk === risk;
      if (own.hardManual !== null) classes.add(own.hardManual);
    } else {
      risk = "high";
    }
    if (risk === "high") judged.high.push(i);
    if (risk === "medium") judged.medium.push(i);
    if (risk === "medium" && byDefault) judged.mediumByDefault.push(i);
    for (const name of classes) judged.byClass.set(name, [...(judged.byClass.get(name) ?? []), i]);
  });
  return judged;
}

/**
 * Only a plan of low-risk files may go to a dry run unreviewed (#3: "drift with only low-risk
 * files … → eligible"). High, medium (code the runtime loads, or a file no rule matches under a
 * medium default) and hard-manual files each hold it for the operator.
 */
function fileRiskReasons(item: EvidenceItem, index: number, plan: DriftPlan, { policy }: RuleContext, base: string): Reason[] {
  const rules = policy.drift;
  const { high, medium, mediumByDefault, byClass } = judgeFiles(plan, rules);
  const reasons: Reason[] = [];
  const ref = evidenceRef(item, index);
  if (high.length > 0) {
    reasons.push(
      reason(
        "drift_high_risk",
        rules === null
          ? `${describeItem(item, index)} changes ${high.length} file(s) (${named(plan, high)}) and policy \`${policy.name}\` has no [drift] rules to judge them by, so each counts as high risk; add a [drift] section, or the operator reviews them`
          : `${describeItem(item, index)} changes ${high.length} high-risk file(s): ${named(plan, high)}; the operator reviews them before any apply`,
        { path: `${base}.files[${high[0]}]`, evidence: ref },
      ),
    );
  }
  if (medium.length > 0) reasons.push(mediumRiskReason(item, index, plan, medium, mediumByDefault, base));
  for (const [name, files] of [...byClass.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const description = policy.document.hard_manual[name]?.description;
    reasons.push(
      reason(
        "drift_hard_manual",
        `${describeItem(item, index)} changes ${files.length} file(s) in hard-manual class ${quote(name)} (${named(plan, files)})${description ? ` — ${lowerFirst(description)}` : ""}; the operator owns it`,
        { path: `${base}.files[${files[0]}]`, evidence: ref },
      ),
    );
  }
  return reasons;
}

function mediumRiskReason(item: EvidenceItem, index: number, plan: DriftPlan, medium: readonly number[], byDefault: readonly number[], base: string): Reason {
  const which = byDefault.length === medium.length ? (medium.length === 1 ? "it" : "them") : `${byDefault.length} of them`;
  const unmatched = byDefault.length === 0 ? "" : ` (no risk rule matches ${which}: the policy's \`default_risk\`)`;
  return reason(
    "drift_medium_risk",
    `${describeItem(item, index)} changes ${medium.length} medium-risk file(s): ${named(plan, medium)}${unmatched}; only low-risk drift may go to a dry run unreviewed, so the operator reviews them before any apply`,
    { path: `${base}.files[${medium[0]}]`, evidence: evidenceRef(item, index) },
  );
}

const NO_LINKS: ReadonlySet<string> = new Set();

/**
 * The paths the plan shows as a link on either side. Every link above a differing file is among
 * them (a side with a link at a folder holds nothing under it, so that link differs too); a link
 * both trees share is not, and only `drift plan` can judge a link resolved through one.
 */
function planLinks(plan: DriftPlan): ReadonlySet<string> {
  let links: Set<string> | null = null;
  for (const file of plan.files) if (file.local?.type === "symlink" || file.remote?.type === "symlink") (links ??= new Set()).add(file.path);
  return links ?? NO_LINKS;
}

/**
 * A plan's digest is no signature: anyone can edit a plan and digest it again. So what an apply
 * would act on is checked against the gate's own `[drift]` section, not taken from the plan: each
 * file's target, the executor, the deploy lock, the backup location and the postchecks. A plan
 * made under another policy fails here too; made again under this one, it passes. Without
 * `[drift]` rules there is nothing to check against, and every differing file is high risk anyway.
 */
function* policyMismatchReasons(item: EvidenceItem, index: number, plan: DriftPlan, { policy }: RuleContext, base: string): Generator<Reason> {
  const rules = policy.drift;
  if (rules === null) return;
  const extra = (path: string) => ({ path, evidence: evidenceRef(item, index) });
  const remake = `make the plan again with policy \`${policy.name}\``;
  const fields: Array<[path: string, label: string, planned: string, own: string]> = [
    ["executor", "executor", plan.executor, rules.executor],
    ["prechecks.deploy_lock.lock", "deploy lock", plan.prechecks.deploy_lock.lock, rules.lock],
    ["prechecks.backup.location", "backup location", plan.prechecks.backup.location, rules.backupLocation],
  ];
  for (const [path, label, planned, own] of fields) {
    if (planned !== own) yield reason("drift_plan_policy_mismatch", `${describeItem(item, index)} names ${quote(planned)} as its ${label}, but policy \`${policy.name}\` names ${quote(own)}; ${remake}`, extra(`${base}.${path}`));
  }
  // One for one: a joined comparison took two checks folded into one entry for the policy's list.
  if (plan.postchecks.length !== rules.postchecks.length || plan.postchecks.some((check, i) => check !== rules.postchecks[i])) {
    yield reason("drift_plan_policy_mismatch", `${describeItem(item, index)} lists postchecks ${quotedList(plan.postchecks, 80)}, but policy \`${policy.name}\` requires ${quotedList(rules.postchecks, 80)}; ${remake}`, extra(`${base}.postchecks`));
  }
  const misplaced = plan.files.flatMap((file, i) => (file.target === targetOf(rules, file.path) ? [] : [i]));
  if (misplaced.length > 0) {
    const first = plan.files[misplaced[0]!]!;
    yield reason(
      "drift_plan_policy_mismatch",
      `${describeItem(item, index)} sends ${misplaced.length} file(s) (${named(plan, misplaced)}) elsewhere than policy \`${policy.name}\` maps them: ${quote(first.path)} to ${quote(first.target ?? "nowhere")} instead of ${quote(targetOf(rules, first.path) ?? "nowhere (no mapping covers it)")}; ${remake}`,
      extra(`${base}.files[${misplaced[0]}].target`),
    );
  }
}

/**
 * A plan is about the host its remote manifest was taken on. A bundle asking about another host
 * (its candidate's `target.host`) cannot borrow it: a staging host in sync says nothing of
 * production. Compared exactly, as the labels were given: a mismatch is refused, not guessed at.
 */
function hostMismatchReason(item: EvidenceItem, index: number, plan: DriftPlan, { bundle }: RuleContext, base: string): Reason | null {
  const target = bundle.candidate.target?.host;
  if (target === plan.remote.host) return null;
  if (target === undefined) {
    // Without a host the plan could be borrowed for any: refused, like a plan of another host.
    return reason(
      "drift_plan_host_mismatch",
      `${describeItem(item, index)} compares the repository with host ${quote(plan.remote.host)}, but the bundle's candidate names no target host; set \`candidate.target.host\` to the host the repair is for (\`drift plan --format bundle\` sets it)`,
      { path: "bundle.candidate.target.host", evidence: evidenceRef(item, index) },
    );
  }
  return reason(
    "drift_plan_host_mismatch",
    `${describeItem(item, index)} compares the repository with host ${quote(plan.remote.host)}, but the bundle's candidate targets host ${quote(target)}; take the remote manifest on that host (${quote(`patchwarden drift manifest --host ${target}`, 120)}) and make the plan again`,
    { path: `${base}.remote.host`, evidence: evidenceRef(item, index) },
  );
}

/**
 * The item's `generated_at` should be the older manifest's time, and the freshness rule judges
 * that. A producer that dates the item later than a manifest inside it would dodge the rule, so
 * each manifest's own time is judged here too, unless the item's time already tells the same.
 */
function* manifestTimeReasons(item: EvidenceItem, index: number, { policy, now, times }: RuleContext): Generator<Reason> {
  const maxAge = policy.maxAgeSeconds[item.kind];
  const itemAge = (now - times[index]!.generated) / 1000;
  for (const { side, time } of times[index]!.manifests) {
    const taken = time ?? Number.NEGATIVE_INFINITY;
    const age = (now - taken) / 1000;
    const extra = { path: `bundle.evidence[${index}].data.${side}.generated_at`, evidence: evidenceRef(item, index) };
    if (age > maxAge && itemAge <= maxAge) {
      yield reason("evidence_stale", `${describeItem(item, index)} compares a ${side} manifest taken ${formatDuration(age)} ago, over the policy's ${formatDuration(maxAge)} maximum for its kind; take a fresh manifest and make the plan again`, extra);
    } else if (-age > policy.skewToleranceSeconds && -itemAge <= policy.skewToleranceSeconds) {
      yield reason("evidence_from_future", `${describeItem(item, index)} compares a ${side} manifest dated ${formatDuration(-age)} in the future, beyond the ${formatDuration(policy.skewToleranceSeconds)} clock-skew tolerance; check that host's clock`, extra);
    }
  }
}

/**
 * Each manifest's time in a drift plan item (epoch ms), read once per evaluation (ItemTimes): the
 * gate judges each manifest's age (manifestTimeReasons), so `valid_until` counts them too. None
 * when the data is no plan; null for a time that does not place (the inspector blocks that plan).
 */
export function planManifestTimes(item: EvidenceItem): ManifestTime[] {
  if (item.kind !== DRIFT_EVIDENCE_KIND || item.data["schema"] !== PLAN_SCHEMA_ID) return [];
  return (["remote", "local"] as const).map((side) => {
    const manifest = item.data[side];
    const text = isRecord(manifest) ? manifest["generated_at"] : undefined;
    return { side, time: typeof text === "string" ? parseIsoTime(text) : null };
  });
}

function named(plan: DriftPlan, indexes: readonly number[]): string {
  const shown = indexes.slice(0, MAX_NAMED_FILES).map((i) => quote(plan.files[i]!.path, 120));
  return indexes.length > MAX_NAMED_FILES ? `${shown.join(", ")} and ${indexes.length - MAX_NAMED_FILES} more` : shown.join(", ");
}

/** Each text quoted (cut at `max` characters), or `none`. */
function quotedList(list: readonly string[], max?: number): string {
  return list.length === 0 ? "none" : list.map((text) => quote(text, max)).join(", ");
}

function lowerFirst(text: string): string {
  return text.length > 0 ? text[0]!.toLowerCase() + text.slice(1).replace(/\.$/, "") : text;
}

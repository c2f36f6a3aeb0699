import type { EvaluationInput } from "../evidence/evaluation-input.js";
import type { Policy } from "../policy/policy.js";
import { formatIsoTime, parseIsoTime } from "../time/iso-time.js";
import { ENGINE_VERSION } from "./engine-version.js";
import { kindInspectionRule } from "./kind-inspectors.js";
import { reason, type Rule, type RuleContext } from "./rule-context.js";
import { approvalClaimRule } from "./rules/approval-claims.js";
import { artifactRule } from "./rules/artifacts.js";
import { bundleTimeRule } from "./rules/bundle-time.js";
import { planStepsRule, repairClassRule } from "./rules/candidate.js";
import { contradictionRule } from "./rules/contradictions.js";
import { planManifestTimes } from "./rules/deploy-drift.js";
import { freshnessRule } from "./rules/freshness.js";
import { inputFindingReasons } from "./rules/input-findings.js";
import { observedTime } from "./rules/observed-time.js";
import { requiredEvidenceRule } from "./rules/required.js";
import { statusRule } from "./rules/status.js";
import type { EvidenceSummary, Reason, RepairSummary, Verdict, VerdictName } from "./verdict-types.js";

/** Order matters only for how reasons read; the verdict is the worst severity whatever the order. */
const RULES: readonly Rule[] = [
  bundleTimeRule,
  repairClassRule,
  requiredEvidenceRule,
  artifactRule,
  freshnessRule,
  statusRule,
  contradictionRule,
  kindInspectionRule,
  planStepsRule,
  approvalClaimRule,
];

const SEVERITY_ORDER = { block: 0, hold: 1, info: 2 } as const;

/**
 * The verdict engine: a pure function of (input, policy, now). It reads no file, network, clock
 * or environment; the same arguments always give a deep-equal verdict, and so byte-identical JSON.
 *
 * @param now epoch milliseconds
 */
export function evaluate(input: EvaluationInput, policy: Policy, now: number): Verdict {
  const reasons: Reason[] = inputFindingReasons(input);
  const bundle = input.bundle;
  let evidence: EvidenceSummary[] = [];
  let validUntil: string | null = null;
  if (bundle !== null) {
    const times = bundle.evidence.map((item) => ({
      generated: placeTime(item.generated_at),
      expires: item.expires_at === undefined ? null : placeTime(item.expires_at),
      observed: observedTime(item),
      manifests: planManifestTimes(item),
    }));
    const context: RuleContext = { input, bundle, policy, now, times, repairClass: policy.repairClasses.get(bundle.candidate.repair_class) };
    for (const rule of RULES) reasons.push(...rule(context));
    const staleTimes = bundle.evidence.map((_, index) => staleAt(context, index));
    evidence = summarizeEvidence(context, staleTimes);
    if (staleTimes.length > 0) validUntil = formatIsoTime(Math.min(...staleTimes));
  }
  const verdict = decide(reasons);
  if (verdict === "eligible_repair_dry_run" && bundle !== null) {
    reasons.push(
      reason("dry_run_only", `eligible for a dry run of \`${bundle.candidate.repair_class}\` only; nothing is executed, and any apply needs explicit operator acceptance`),
    );
  }
  // A stable sort keeps rule order inside each severity, so equal inputs give equal output.
  reasons.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  return {
    schema: "patchwarden.verdict.v1",
    verdict,
    mode: "proposal_only",
    repair_class: bundle?.candidate.repair_class ?? null,
    candidate_summary: bundle?.candidate.summary ?? null,
    target: bundle?.candidate.target ?? null,
    repair: repairSummary(bundle?.candidate.repair_class, policy),
    reasons,
    evidence,
    bundle: { format: input.format, digest: input.digest },
    policy: { name: policy.name, digest: policy.digest },
    engine: { name: "patchwarden-verdict-engine", version: ENGINE_VERSION },
    evaluated_at: formatIsoTime(now),
    valid_until: validUntil,
  };
}

/** What the policy says of the candidate's class, copied so the verdict shares nothing with the policy. */
function repairSummary(name: string | undefined, policy: Policy): RepairSummary | null {
  const cls = name === undefined ? undefined : policy.repairClasses.get(name);
  return name === undefined || cls === undefined ? null : { class: name, risk: cls.risk, executor: cls.executor, postchecks: [...cls.postchecks] };
}

function decide(reasons: readonly Reason[]): VerdictName {
  if (reasons.some((r) => r.severity === "block")) return "blocked";
  if (reasons.some((r) => r.severity === "hold")) return "needs_human";
  return "eligible_repair_dry_run";
}

/**
 * When an item stops counting: its kind's maximum age or its own expiry, whichever is first. The
 * age runs from the oldest time the rules judge it by: its own, the time its data says it observed
 * what it carries, and for a drift plan each manifest's, so no verdict outlives its inputs.
 */
function staleAt({ bundle, policy, times }: RuleContext, index: number): number {
  const { generated, expires, observed, manifests } = times[index]!;
  const item = bundle.evidence[index]!;
  const placed = manifests.flatMap(({ time }) => (time === null ? [] : [time]));
  const taken = Math.min(generated, ...(observed === null ? [] : [observed.time]), ...placed);
  const byAge = taken + policy.maxAgeSeconds[item.kind] * 1000;
  return expires === null ? byAge : Math.min(byAge, expires);
}

function summarizeEvidence({ bundle, now, times }: RuleContext, staleTimes: readonly number[]): EvidenceSummary[] {
  return bundle.evidence.map((item, index) => {
    const { generated } = times[index]!;
    const summary: EvidenceSummary = {
      index,
      kind: item.kind,
      status: item.status,
      // As the producer wrote it (validated, with its offset); stale_at is Patchwarden's, in UTC.
      generated_at: item.generated_at,
      age_seconds: Math.floor((now - generated) / 1000),
      stale_at: formatIsoTime(staleTimes[index]!),
    };
    if (item.id !== undefined) summary.id = item.id;
    if (item.subject !== undefined) summary.subject = item.subject;
    return summary;
  });
}

/**
 * Every time reaching the engine passed the contract's ISO-8601 check, so it always places.
 * Should a caller hand in an unchecked input anyway, an unplaceable time counts as infinitely
 * old (stale, so blocked), never as fresh.
 */
function placeTime(text: string): number {
  return parseIsoTime(text) ?? Number.NEGATIVE_INFINITY;
}

import { BUNDLE_SCHEMA_ID, type EvidenceBundle, type EvidenceItem } from "../evidence/bundle-schema.js";
import { quote } from "../diagnostics/diagnostic.js";
import { formatIsoTime, parseIsoTime } from "../time/iso-time.js";
import type { DriftPlan } from "./plan-schema.js";

export const DRIFT_EVIDENCE_KIND = "deploy-drift-probe";
export const DRIFT_REPAIR_CLASS = "deploy_drift_probe";

/**
 * The plan as a `deploy-drift-probe` evidence item. Its `generated_at` is the older of the two
 * manifests' times: a plan is only as fresh as the oldest view of a tree it compares, so the
 * gate's maximum age for the kind applies to the remote manifest however recently the plan was made.
 */
export function planEvidenceItem(plan: DriftPlan): EvidenceItem {
  return {
    id: `drift-${plan.digest.slice("sha256:".length, "sha256:".length + 12)}`,
    kind: DRIFT_EVIDENCE_KIND,
    subject: plan.remote.host,
    generated_at: olderTime(plan.local.generated_at, plan.remote.generated_at),
    status: "pass",
    summary: plan.summary.length > 2000 ? `${plan.summary.slice(0, 1999)}…` : plan.summary,
    data: plan as unknown as Record<string, unknown>,
  };
}

/** A whole bundle asking the gate about this plan alone; Iskra's runtime truth must be added before the gate can pass it. */
export function planBundle(plan: DriftPlan, now: number, producer: { name: string; version: string }): EvidenceBundle {
  const differing = plan.counts.changed + plan.counts.added + plan.counts.removed;
  return {
    schema: BUNDLE_SCHEMA_ID,
    generated_at: formatIsoTime(now),
    producer: { ...producer },
    candidate: {
      repair_class: DRIFT_REPAIR_CLASS,
      summary: plan.summary.length > 2000 ? `${plan.summary.slice(0, 1999)}…` : plan.summary,
      target: { host: plan.remote.host },
      plan: {
        summary: `proposal only: a dry run of plan ${plan.digest} with ${plan.executor}; any apply needs explicit operator acceptance`,
        steps: [
          { action: "drift.manifest", description: "both trees recorded read-only (done)" },
          { action: "drift.plan", description: `${differing} differing file(s) classified by the policy (done)` },
          { action: "drift.dry_run", description: `prepare a dry run of the plan for the operator to review with ${plan.executor}; nothing is applied` },
        ],
      },
    },
    evidence: [planEvidenceItem(plan)],
  };
}

export type AddedToBundle = { ok: true; bundle: EvidenceBundle } | { ok: false; problem: string };

/**
 * Adds the plan to a bundle Iskra wrote (with its runtime-truth evidence). A bundle already
 * holding a drift plan is refused rather than given a second: two differing plans of one host are
 * contradictory evidence to the gate (`evidence_contradictory`, so at best needs_human), and which
 * one the operator meant is not ours to guess.
 */
export function addPlanToBundle(bundle: EvidenceBundle, plan: DriftPlan, now: number): AddedToBundle {
  const existing = bundle.evidence.findIndex((item) => item.kind === DRIFT_EVIDENCE_KIND);
  if (existing !== -1) {
    const item = bundle.evidence[existing]!;
    return { ok: false, problem: `bundle.evidence[${existing}]: the bundle already holds a \`${DRIFT_EVIDENCE_KIND}\` item${item.id ? ` (${quote(item.id)})` : ""}; remove it first, or start from a bundle without one` };
  }
  return { ok: true, bundle: { ...bundle, generated_at: formatIsoTime(now), evidence: [...bundle.evidence, planEvidenceItem(plan)] } };
}

function olderTime(a: string, b: string): string {
  return (parseIsoTime(a) ?? Number.NEGATIVE_INFINITY) <= (parseIsoTime(b) ?? Number.NEGATIVE_INFINITY) ? a : b;
}

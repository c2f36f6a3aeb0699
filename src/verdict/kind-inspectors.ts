import type { EvidenceItem } from "../evidence/bundle-schema.js";
import type { EvidenceKind } from "../evidence/kinds.js";
import type { Rule, RuleContext } from "./rule-context.js";
import { inspectAutohealDashboard } from "./rules/autoheal-dashboard-data.js";
import { inspectDeployDrift } from "./rules/deploy-drift.js";
import { inspectIncidentPacket } from "./rules/incident-packet-data.js";
import { inspectPlannedSteps } from "./rules/planned-steps.js";
import { inspectProposedClass } from "./rules/proposed-class.js";
import { inspectRuntimeTruth } from "./rules/runtime-truth-data.js";
import { inspectSafeUpdateDryRun } from "./rules/safe-update-data.js";
import { inspectUpgradeSimulator } from "./rules/upgrade-simulator-data.js";
import type { Reason } from "./verdict-types.js";

/**
 * Rules that read inside one kind's `data`; each kind's contract is documented with the bundle spec.
 * An item's status is the producer's word; where its data documents the same facts (a draining
 * gateway, a failed check, an incident still open), the inspector takes the worse of the two
 * (rules/data-findings.ts).
 */
export type KindInspector = (item: EvidenceItem, index: number, context: RuleContext) => Reason[];

// Every kind has one, so a new kind cannot be added without deciding what its data says.
const INSPECTORS: Record<EvidenceKind, KindInspector> = {
  "runtime-truth-report": inspectRuntimeTruth,
  "autoheal-dashboard": inspectAutohealDashboard,
  "openclaw-upgrade-simulator": inspectUpgradeSimulator,
  "safe-update-dry-run": inspectSafeUpdateDryRun,
  "deploy-drift-probe": inspectDeployDrift,
  "supervised-repair-plan": inspectPlannedSteps,
  "remediation-proposal": (item, index, context) => [...inspectPlannedSteps(item, index, context), ...inspectProposedClass(item, index, context)],
  "incident-packet": inspectIncidentPacket,
};

export const kindInspectionRule: Rule = (context) => {
  const reasons: Reason[] = [];
  context.bundle.evidence.forEach((item, index) => {
    reasons.push(...INSPECTORS[item.kind](item, index, context));
  });
  return reasons;
};

import type { EvidenceItem } from "../evidence/bundle-schema.js";
import type { EvidenceKind } from "../evidence/kinds.js";
import type { Rule, RuleContext } from "./rule-context.js";
import { inspectDeployDrift } from "./rules/deploy-drift.js";
import { inspectPlannedSteps } from "./rules/planned-steps.js";
import type { Reason } from "./verdict-types.js";

/** Rules that read inside one kind's `data`; each kind's contract is documented with the bundle spec. */
export type KindInspector = (item: EvidenceItem, index: number, context: RuleContext) => Reason[];

const INSPECTORS: Partial<Record<EvidenceKind, KindInspector>> = {
  "deploy-drift-probe": inspectDeployDrift,
  "supervised-repair-plan": inspectPlannedSteps,
  "remediation-proposal": inspectPlannedSteps,
};

export const kindInspectionRule: Rule = (context) => {
  const reasons: Reason[] = [];
  context.bundle.evidence.forEach((item, index) => {
    const inspect = INSPECTORS[item.kind];
    if (inspect !== undefined) reasons.push(...inspect(item, index, context));
  });
  return reasons;
};

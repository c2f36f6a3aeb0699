import { quote } from "../../diagnostics/diagnostic.js";
import { didYouMean } from "../../diagnostics/suggest.js";
import { reason, type Rule, type RuleContext } from "../rule-context.js";
import type { EvidenceRef, Reason } from "../verdict-types.js";

export const repairClassRule: Rule = ({ bundle, policy, repairClass }) => {
  const name = bundle.candidate.repair_class;
  if (repairClass === undefined) {
    return [
      reason(
        "repair_class_unknown",
        `repair class \`${name}\` is not in policy ${quote(policy.name)}${didYouMean(name, policy.repairClasses.keys()) || `; known classes: ${[...policy.repairClasses.keys()].join(", ")}`}`,
        { path: "bundle.candidate.repair_class" },
      ),
    ];
  }
  const reasons: Reason[] = [];
  if (repairClass.mutation) {
    reasons.push(
      reason("mutation_requires_operator", `repair class \`${name}\` mutates the runtime; only the operator approves it, even when every piece of evidence is green`, {
        path: "bundle.candidate.repair_class",
      }),
    );
  }
  for (const hardManual of repairClass.hard_manual) {
    const description = policy.document.hard_manual[hardManual]?.description ?? "";
    reasons.push(
      reason("hard_manual_class", `repair class \`${name}\` touches hard-manual class \`${hardManual}\`${description ? ` — ${lowerFirst(description)}` : ""}; the operator owns it`, {
        path: "bundle.candidate.repair_class",
      }),
    );
  }
  return reasons;
};

export const planStepsRule: Rule = (context) => {
  const steps = context.bundle.candidate.plan?.steps ?? [];
  return steps.flatMap((step, i) => judgeStep(step.action, context, { where: `plan step ${i}`, path: `bundle.candidate.plan.steps[${i}].action` }));
};

/**
 * One planned action against the policy: a hard-manual action is the operator's, and any other
 * action outside the repair class's allowed ones needs a human. For the candidate's plan and for
 * steps carried in plan evidence (kind-inspectors.ts) alike.
 */
export function judgeStep(action: string, { bundle, policy, repairClass }: RuleContext, at: { where: string; path: string; evidence?: EvidenceRef }): Reason[] {
  const extra = { path: at.path, ...(at.evidence !== undefined ? { evidence: at.evidence } : {}) };
  const owner = policy.hardManualActions.get(action);
  if (owner !== undefined) {
    return [reason("plan_step_hard_manual", `${at.where} ${quote(action)} is a hard-manual action of \`${owner}\`; the operator owns it`, extra)];
  }
  if (repairClass !== undefined && !repairClass.allowed_actions.includes(action)) {
    const allowed = repairClass.allowed_actions.length > 0 ? repairClass.allowed_actions.map((a) => `\`${a}\``).join(", ") : "none";
    return [reason("plan_step_not_allowed", `${at.where} ${quote(action)} is not an allowed action of \`${bundle.candidate.repair_class}\` (allowed: ${allowed}); a human must judge it`, extra)];
  }
  return [];
}

function lowerFirst(text: string): string {
  return text.length > 0 ? text[0]!.toLowerCase() + text.slice(1).replace(/\.$/, "") : text;
}

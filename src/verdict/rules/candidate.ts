import { didYouMean } from "../../diagnostics/suggest.js";
import { reason, type Rule } from "../rule-context.js";
import type { Reason } from "../verdict-types.js";

export const repairClassRule: Rule = ({ bundle, policy, repairClass }) => {
  const name = bundle.candidate.repair_class;
  if (repairClass === undefined) {
    return [
      reason(
        "repair_class_unknown",
        `repair class \`${name}\` is not in policy \`${policy.name}\`${didYouMean(name, policy.repairClasses.keys()) || `; known classes: ${[...policy.repairClasses.keys()].join(", ")}`}`,
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

export const planStepsRule: Rule = ({ bundle, policy, repairClass }) => {
  const steps = bundle.candidate.plan?.steps ?? [];
  const reasons: Reason[] = [];
  steps.forEach((step, i) => {
    const path = `bundle.candidate.plan.steps[${i}].action`;
    const owner = policy.hardManualActions.get(step.action);
    if (owner !== undefined) {
      reasons.push(reason("plan_step_hard_manual", `plan step ${i} \`${step.action}\` is a hard-manual action of \`${owner}\`; the operator owns it`, { path }));
    } else if (repairClass !== undefined && !repairClass.allowed_actions.includes(step.action)) {
      const allowed = repairClass.allowed_actions.length > 0 ? repairClass.allowed_actions.map((a) => `\`${a}\``).join(", ") : "none";
      reasons.push(
        reason("plan_step_not_allowed", `plan step ${i} \`${step.action}\` is not an allowed action of \`${bundle.candidate.repair_class}\` (allowed: ${allowed}); a human must judge it`, { path }),
      );
    }
  });
  return reasons;
};

function lowerFirst(text: string): string {
  return text.length > 0 ? text[0]!.toLowerCase() + text.slice(1).replace(/\.$/, "") : text;
}

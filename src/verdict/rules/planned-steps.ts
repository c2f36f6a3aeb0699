import { isRecord } from "../../document/is-record.js";
import type { EvidenceItem } from "../../evidence/bundle-schema.js";
import { describeItem, evidenceRef, reason, type RuleContext } from "../rule-context.js";
import type { Reason } from "../verdict-types.js";
import { judgeStep } from "./candidate.js";

/**
 * Steps carried in a `supervised-repair-plan` or `remediation-proposal` item (`data.steps`, each
 * `{ action }` or an action's name), judged like the candidate's own plan steps: a plan that
 * restarts the gateway is the operator's whether it rides in the candidate or in its evidence. A `steps` that is not a
 * list of steps with a named action cannot be judged, so it holds the verdict too.
 */
export function inspectPlannedSteps(item: EvidenceItem, index: number, context: RuleContext): Reason[] {
  const steps = isRecord(item.data) ? item.data["steps"] : undefined;
  if (steps === undefined) return [];
  const evidence = evidenceRef(item, index);
  const path = `bundle.evidence[${index}].data.steps`;
  if (!Array.isArray(steps)) {
    return [reason("plan_step_not_allowed", `${describeItem(item, index)} has \`steps\` that are not a list of steps; a human must read them`, { path, evidence })];
  }
  return steps.flatMap((step: unknown, i) => {
    // `{ action }` as the spec writes it, or the action's name alone.
    const action = typeof step === "string" ? step : isRecord(step) ? step["action"] : undefined;
    if (typeof action !== "string" || action.length === 0) {
      return [reason("plan_step_not_allowed", `${describeItem(item, index)} step ${i} names no action; a human must read it`, { path: `${path}[${i}]`, evidence })];
    }
    return judgeStep(action, context, { where: `${describeItem(item, index)} step ${i}`, path: `${path}[${i}].action`, evidence });
  });
}

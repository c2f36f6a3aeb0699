import { quote } from "../../diagnostics/diagnostic.js";
import type { Policy } from "../../policy/policy.js";
import type { KindInspector } from "../kind-inspectors.js";
import { describeItem, evidenceRef, reason } from "../rule-context.js";
import { DataReader, dataReasons } from "./data-findings.js";

const FIELD = ["proposed_class"] as const;

/**
 * `remediation-proposal`'s `proposed_class`: the repair the proposal is for. A proposal for another
 * class than the candidate's (a restart proposed beside a request for read-only diagnostics) says
 * the fix being weighed is not the one being judged, so a human reads it, whatever its status. The
 * candidate's own class is judged by the candidate rules (a mutating one already holds); a
 * hard-manual class's name holds even there, as it names work the operator owns.
 */
export const inspectProposedClass: KindInspector = (item, index, { bundle, policy }) => {
  const read = new DataReader();
  const proposed = read.text(item.data, FIELD, "which repair class the proposal is for");
  const reasons = dataReasons(item, index, read.findings);
  if (proposed === undefined) return reasons;
  const candidate = bundle.candidate.repair_class;
  const hardManual = hardManualClasses(policy).has(proposed);
  if (proposed === candidate && !hardManual) return reasons;
  const what =
    proposed === candidate
      ? `${classNote(proposed, hardManual, policy)}; a human must read it`
      : `, not the candidate's \`${candidate}\`${classNote(proposed, hardManual, policy)}; the fix it proposes is not the one being judged, so a human must read it, and a candidate for ${quote(proposed)} must be judged on its own`;
  reasons.push(
    reason("proposed_class_mismatch", `${describeItem(item, index)} proposes the repair class ${quote(proposed)}${what}`, {
      path: `bundle.evidence[${index}].data.proposed_class`,
      evidence: evidenceRef(item, index),
    }),
  );
  return reasons;
};

/** Every hard-manual class: the policy's own, and those the product boundary requires (owners of its actions). */
function hardManualClasses(policy: Policy): Set<string> {
  return new Set([...Object.keys(policy.document.hard_manual), ...policy.hardManualActions.values()]);
}

/** What the proposed class would be, as the policy knows it: the reason a human should look first. */
function classNote(proposed: string, hardManual: boolean, policy: Policy): string {
  if (hardManual) return " (a hard-manual class: the operator owns it)";
  const cls = policy.repairClasses.get(proposed);
  if (cls === undefined) return " (not a repair class of the policy)";
  const notes: string[] = [];
  if (cls.mutation) notes.push("it mutates the runtime");
  if (cls.hard_manual.length > 0) notes.push(`it touches hard-manual ${cls.hard_manual.map((name) => `\`${name}\``).join(", ")}`);
  return notes.length > 0 ? ` (${notes.join("; ")})` : "";
}

import { quote } from "../../diagnostics/diagnostic.js";
import { describeItem, evidenceRef, reason, type Rule } from "../rule-context.js";
import type { Reason } from "../verdict-types.js";

export const statusRule: Rule = ({ bundle }) => {
  const reasons: Reason[] = [];
  bundle.evidence.forEach((item, index) => {
    if (item.status === "pass") return;
    const extra = { path: `bundle.evidence[${index}].status`, evidence: evidenceRef(item, index) };
    const said = item.summary ? `: ${quote(item.summary, 300)}` : "";
    if (item.status === "fail") {
      reasons.push(reason("evidence_failed", `${describeItem(item, index)} reports \`fail\`${said}; a failed check blocks the repair until it passes`, extra));
    } else if (item.status === "warn") {
      reasons.push(reason("evidence_warn", `${describeItem(item, index)} reports \`warn\`${said}; a human must judge whether it matters`, extra));
    } else if (item.status === "unknown") {
      reasons.push(reason("evidence_unknown", `${describeItem(item, index)} reports \`unknown\`${said}; the producer could not tell, so a human must`, extra));
    }
  });
  return reasons;
};

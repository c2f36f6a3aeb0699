import { quote } from "../../diagnostics/diagnostic.js";
import { evidenceRef, reason, type Rule } from "../rule-context.js";
import type { EvidenceItem } from "../../evidence/bundle-schema.js";
import type { Reason } from "../verdict-types.js";

/** Two items of one kind about one subject that disagree: the gate cannot pick the true one. */
export const contradictionRule: Rule = ({ bundle }) => {
  const reasons: Reason[] = [];
  for (const indexes of duplicateGroups(bundle.evidence)) {
    if (indexes.length < 2) continue;
    const items = indexes.map((i) => bundle.evidence[i]!);
    const statuses = new Set(items.map((item) => item.status));
    if (statuses.size < 2) continue;
    const first = items[0]!;
    reasons.push(
      reason(
        "evidence_contradictory",
        `\`${first.kind}\` items ${indexes.map((i) => `evidence[${i}]`).join(", ")}${first.subject !== undefined ? ` about ${quote(first.subject)}` : ""} disagree (${describeStatuses(items)}); the producer must settle which is true`,
        { path: `bundle.evidence[${indexes[1]}]`, evidence: evidenceRef(items[1]!, indexes[1]!) },
      ),
    );
  }
  return reasons;
};

/** Index groups of items sharing kind and subject. Most bundles have none, so look before grouping. */
function duplicateGroups(evidence: readonly EvidenceItem[]): number[][] {
  if (!hasAnyDuplicate(evidence)) return [];
  const groups = new Map<string, number[]>();
  evidence.forEach((item, index) => {
    const key = `${item.kind}\u0000${item.subject ?? ""}`;
    const group = groups.get(key);
    if (group) group.push(index);
    else groups.set(key, [index]);
  });
  return [...groups.values()].filter((group) => group.length > 1);
}

function hasAnyDuplicate(evidence: readonly EvidenceItem[]): boolean {
  if (evidence.length > 32) return true; // let the Map do it; a pairwise check would be quadratic
  for (let i = 0; i < evidence.length; i++) {
    for (let j = i + 1; j < evidence.length; j++) {
      if (evidence[i]!.kind === evidence[j]!.kind && evidence[i]!.subject === evidence[j]!.subject) return true;
    }
  }
  return false;
}

function describeStatuses(items: EvidenceItem[]): string {
  return items.map((item) => `\`${item.status}\``).join(" vs ");
}

import { quote } from "../../diagnostics/diagnostic.js";
import { DRIFT_EVIDENCE_KIND } from "../../drift/plan-item.js";
import type { EvidenceItem } from "../../evidence/bundle-schema.js";
import { evidenceRef, reason, type Rule } from "../rule-context.js";
import type { Reason } from "../verdict-types.js";

/**
 * Two items of one kind about one subject that disagree: the gate cannot pick the true one. Drift
 * plans are compared whatever their subjects say: a plan's subject is the producer's free text,
 * outside its digest, and every plan in a bundle is about the candidate's host (deploy-drift.ts
 * blocks one about another), so two plans that differ are two claims about one host.
 */
export const contradictionRule: Rule = ({ bundle }) => {
  const reasons: Reason[] = [];
  for (const indexes of duplicateGroups(bundle.evidence)) {
    const items = indexes.map((i) => bundle.evidence[i]!);
    const disagreement = describeDisagreement(items);
    if (disagreement === null) continue;
    const first = items[0]!;
    // Point at the first item that disagrees with the first (the second may agree with it).
    const other = Math.max(1, items.findIndex((item) => !agrees(first, item)));
    reasons.push(
      reason(
        "evidence_contradictory",
        `\`${first.kind}\` items ${indexes.map((i) => `evidence[${i}]`).join(", ")}${first.subject !== undefined && items.every((item) => item.subject === first.subject) ? ` about ${quote(first.subject)}` : ""} disagree (${disagreement}); the producer must settle which is true`,
        { path: `bundle.evidence[${indexes[other]}]`, evidence: evidenceRef(items[other]!, indexes[other]!) },
      ),
    );
  }
  return reasons;
};

/**
 * What the items claim beyond their status. Two drift plans of one host with one status still
 * disagree when they differ (one in sync, one behind): the host cannot be both. Other kinds' data
 * may differ between honest duplicates (two reports a minute apart), so only the status counts.
 */
function claimOf(item: EvidenceItem): string | null {
  if (item.kind !== DRIFT_EVIDENCE_KIND) return null;
  const digest = item.data["digest"];
  return typeof digest === "string" ? digest : "";
}

function agrees(a: EvidenceItem, b: EvidenceItem): boolean {
  return a.status === b.status && claimOf(a) === claimOf(b);
}

/** The statuses, and the plans, the items disagree on; null when they all agree. */
function describeDisagreement(items: readonly EvidenceItem[]): string | null {
  const parts: string[] = [];
  if (new Set(items.map((item) => item.status)).size > 1) parts.push(describeStatuses(items));
  if (new Set(items.map(claimOf)).size > 1) parts.push(`different plans: ${items.map((item) => quote(item.data["digest"])).join(" vs ")}`);
  return parts.length === 0 ? null : parts.join(", and ");
}

/** Index groups of items sharing kind and subject (drift plans: kind alone). Most bundles have none, so look before grouping. */
function duplicateGroups(evidence: readonly EvidenceItem[]): number[][] {
  if (!hasAnyDuplicate(evidence)) return [];
  const groups = new Map<string, number[]>();
  evidence.forEach((item, index) => {
    const key = item.kind === DRIFT_EVIDENCE_KIND ? item.kind : `${item.kind}\u0000${item.subject ?? ""}`;
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
      if (sameGroup(evidence[i]!, evidence[j]!)) return true;
    }
  }
  return false;
}

function sameGroup(a: EvidenceItem, b: EvidenceItem): boolean {
  return a.kind === b.kind && (a.kind === DRIFT_EVIDENCE_KIND || a.subject === b.subject);
}

function describeStatuses(items: readonly EvidenceItem[]): string {
  return items.map((item) => `\`${item.status}\``).join(" vs ");
}

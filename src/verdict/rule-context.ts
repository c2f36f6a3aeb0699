import type { EvidenceBundle, EvidenceItem } from "../evidence/bundle-schema.js";
import type { EvaluationInput } from "../evidence/evaluation-input.js";
import type { RepairClassDocument } from "../policy/policy-schema.js";
import type { Policy } from "../policy/policy.js";
import { quote } from "../diagnostics/diagnostic.js";
import { REASON_CODES, type ReasonCode } from "./reason-codes.js";
import type { ObservedTime } from "./rules/observed-time.js";
import type { EvidenceRef, Reason } from "./verdict-types.js";

export interface RuleContext {
  input: EvaluationInput;
  bundle: EvidenceBundle;
  policy: Policy;
  /** epoch milliseconds */
  now: number;
  /** Absent when the candidate names a class the policy does not know. */
  repairClass: RepairClassDocument | undefined;
  /** Each evidence item's times as epoch ms, parsed once per evaluation (same order as bundle.evidence). */
  times: ReadonlyArray<ItemTimes>;
}

export interface ItemTimes {
  generated: number;
  expires: number | null;
  /** When its data says it observed what it carries (`openclaw health --json`'s `ts`), if it says. */
  observed: ObservedTime | null;
  /** A drift plan's manifests, each with its time (null when it does not place); none for other data. */
  manifests: readonly ManifestTime[];
}

export interface ManifestTime {
  side: "remote" | "local";
  time: number | null;
}

export type Rule = (context: RuleContext) => Reason[];

export function reason(code: ReasonCode, message: string, extra: { path?: string; evidence?: EvidenceRef } = {}): Reason {
  const out: Reason = { code, severity: REASON_CODES[code].severity, message };
  if (extra.path !== undefined) out.path = extra.path;
  if (extra.evidence !== undefined) out.evidence = extra.evidence;
  return out;
}

export function evidenceRef(item: EvidenceItem, index: number): EvidenceRef {
  const ref: EvidenceRef = { index, kind: item.kind };
  if (item.id !== undefined) ref.id = item.id;
  if (item.subject !== undefined) ref.subject = item.subject;
  return ref;
}

/** `runtime-truth-report evidence[2] (gateway)`: how messages name an item. */
export function describeItem(item: EvidenceItem, index: number): string {
  const label = item.subject ?? item.id;
  return `\`${item.kind}\` evidence[${index}]${label !== undefined ? ` (${quote(label)})` : ""}`;
}

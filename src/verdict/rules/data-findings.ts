import { formatPath, quote } from "../../diagnostics/diagnostic.js";
import { isRecord } from "../../document/is-record.js";
import type { EvidenceItem } from "../../evidence/bundle-schema.js";
import type { EvidenceStatus } from "../../evidence/kinds.js";
import type { ReasonCode } from "../reason-codes.js";
import { describeItem, evidenceRef, reason } from "../rule-context.js";
import type { Reason } from "../verdict-types.js";

/**
 * What a documented field of an item's `data` shows, in the terms of the item's own status:
 *
 *   failed     → worse than `pass`, `warn` and `unknown`: `evidence_data_failed` (block)
 *   degraded   → worse than `pass` only: `evidence_data_degraded` (hold)
 *   unreadable → a documented field of the wrong type; the gate cannot tell, so the item counts as
 *                `unknown`, worse than `pass` only: `evidence_unknown` (hold)
 *
 * A finding becomes a reason only when it is worse than the status the item reports: an item that
 * already says `fail` needs no second reason, and a `warn` item already holds the verdict.
 */
export type DataLevel = "failed" | "degraded" | "unreadable";

export type Segment = string | number;

export interface DataFinding {
  level: DataLevel;
  /** Where, below the item's `data`: `["readyz", "draining"]`. */
  at: readonly Segment[];
  /** Completes "<item> reports `pass`, but …": what the data shows, then what to do. */
  says: string;
}

const LEVEL_RANK: Record<DataLevel, number> = { failed: 2, degraded: 1, unreadable: 1 };
const STATUS_RANK: Record<EvidenceStatus, number> = { pass: 0, warn: 1, unknown: 1, fail: 2 };
const LEVEL_CODE: Record<DataLevel, ReasonCode> = { failed: "evidence_data_failed", degraded: "evidence_data_degraded", unreadable: "evidence_unknown" };

/** Names listed in one reason; the data itself lists the rest. */
export const MAX_NAMED = 5;

/** `data.readyz.draining`, as messages name a field. */
export function fieldName(at: readonly Segment[]): string {
  return `\`${formatPath("data", at)}\``;
}

/** A value as messages describe it, saying its type where the type is the problem: the text `yes`, the number `1`. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return `the text ${quote(value)}`;
  if (typeof value === "number") return `the number ${quote(value)}`;
  return quote(value);
}

/** What an unreadable field holds, against what it should: `is absent`, or `is the text \`yes\`, not a boolean`. */
export function holdsInstead(value: unknown, expected: string): string {
  return value === undefined ? "is absent" : `is ${describeValue(value)}, not ${expected}`;
}

/** `\`matrix\`, \`signal\` and 3 more`: names from the data, quoted and capped. */
export function nameList(names: readonly string[]): string {
  const shown = names.slice(0, MAX_NAMED).map((name) => quote(name, 60));
  const rest = names.length - shown.length;
  if (rest > 0) return `${shown.join(", ")} and ${rest} more`;
  if (shown.length <= 1) return shown.join("");
  return `${shown.slice(0, -1).join(", ")} and ${shown[shown.length - 1]}`;
}

/** The reasons an item's data findings add: only those worse than the status it reports. */
export function dataReasons(item: EvidenceItem, index: number, findings: readonly DataFinding[]): Reason[] {
  const statusRank = STATUS_RANK[item.status];
  const reasons: Reason[] = [];
  for (const finding of findings) {
    if (LEVEL_RANK[finding.level] <= statusRank) continue;
    reasons.push(
      reason(LEVEL_CODE[finding.level], `${describeItem(item, index)} reports \`${item.status}\`, but ${finding.says}`, {
        path: formatPath(`bundle.evidence[${index}].data`, finding.at),
        evidence: evidenceRef(item, index),
      }),
    );
  }
  return reasons;
}

/**
 * Typed reads of documented fields. Each returns the value when it has the documented type,
 * `undefined` when the field is absent (nothing to judge), and records an `unreadable` finding
 * (then returns `undefined`) when it is present with another type, `null` included: a value the
 * gate cannot read is never read as fine.
 */
export class DataReader {
  readonly findings: DataFinding[] = [];

  add(level: DataLevel, at: readonly Segment[], says: string): void {
    this.findings.push({ level, at, says });
  }

  /** A present field of the wrong type: the item counts as `unknown`. */
  wrongType(at: readonly Segment[], value: unknown, expected: string, cannotTell: string): void {
    this.add("unreadable", at, `its ${fieldName(at)} is ${describeValue(value)}, not ${expected}; the gate cannot tell ${cannotTell}, so a human must judge it, and the producer should write ${expected}`);
  }

  object(parent: Record<string, unknown>, at: readonly Segment[], cannotTell: string): Record<string, unknown> | undefined {
    const value = parent[at[at.length - 1]!];
    if (value === undefined) return undefined;
    if (isRecord(value)) return value;
    this.wrongType(at, value, "an object", cannotTell);
    return undefined;
  }

  boolean(parent: Record<string, unknown>, at: readonly Segment[], cannotTell: string): boolean | undefined {
    const value = parent[at[at.length - 1]!];
    if (value === undefined || typeof value === "boolean") return value;
    this.wrongType(at, value, "`true` or `false`", cannotTell);
    return undefined;
  }

  text(parent: Record<string, unknown>, at: readonly Segment[], cannotTell: string): string | undefined {
    const value = parent[at[at.length - 1]!];
    if (value === undefined || typeof value === "string") return value;
    this.wrongType(at, value, "a text", cannotTell);
    return undefined;
  }

  /** A whole number of at least 0 (a count, an HTTP status). */
  count(parent: Record<string, unknown>, at: readonly Segment[], cannotTell: string): number | undefined {
    const value = parent[at[at.length - 1]!];
    if (value === undefined) return undefined;
    if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return value;
    this.wrongType(at, value, "a whole number", cannotTell);
    return undefined;
  }
}

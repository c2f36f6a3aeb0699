import type { EvidenceKind, EvidenceStatus } from "../evidence/kinds.js";
import type { Sha256Digest } from "../integrity/digest.js";
import type { RiskLevel } from "../policy/policy-schema.js";
import type { ReasonCode, Severity } from "./reason-codes.js";

export const VERDICTS = ["eligible_repair_dry_run", "needs_human", "blocked"] as const;
export type VerdictName = (typeof VERDICTS)[number];

/** Lower is better for the operator; the engine takes the worst. */
export const VERDICT_RANK: Record<VerdictName, number> = { eligible_repair_dry_run: 0, needs_human: 1, blocked: 2 };

export interface EvidenceRef {
  index: number;
  kind: EvidenceKind;
  id?: string;
  subject?: string;
}

export interface Reason {
  code: ReasonCode;
  severity: Severity;
  /** A human sentence: what is wrong and what to do. */
  message: string;
  /** Where in the input, e.g. `bundle.evidence[2].generated_at`. */
  path?: string;
  evidence?: EvidenceRef;
}

export interface EvidenceSummary {
  index: number;
  kind: EvidenceKind;
  id?: string;
  subject?: string;
  status: EvidenceStatus;
  generated_at: string;
  age_seconds: number;
  /** When this item stops counting: its own expiry or its kind's maximum age (from the oldest time it carries: a drift plan's manifests too), whichever is first. */
  stale_at: string;
}

/**
 * The candidate's repair class as the policy describes it: what the operator would carry it out
 * with (Patchwarden never does) and what must pass after. Operator-written policy text.
 */
export interface RepairSummary {
  class: string;
  risk: RiskLevel;
  executor: string;
  postchecks: string[];
}

export interface Verdict {
  schema: "patchwarden.verdict.v1";
  verdict: VerdictName;
  /** Patchwarden proposes; it never executes. Written into every verdict so no reader can mistake it. */
  mode: "proposal_only";
  repair_class: string | null;
  candidate_summary: string | null;
  target: { host?: string | undefined; service?: string | undefined } | null;
  /** Null when no bundle was read or the policy has no such class. Absent from verdicts stored by engines before 1.4.0. */
  repair: RepairSummary | null;
  reasons: Reason[];
  evidence: EvidenceSummary[];
  bundle: { format: string; digest: Sha256Digest | null };
  policy: { name: string; digest: Sha256Digest };
  engine: { name: "patchwarden-verdict-engine"; version: string };
  evaluated_at: string;
  /** When the earliest-expiring evidence goes stale; re-evaluate before acting after this. */
  valid_until: string | null;
}

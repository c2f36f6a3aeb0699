import type { Sha256Digest } from "../integrity/digest.js";
import type { EvidenceKind } from "../evidence/kinds.js";
import { EVIDENCE_KINDS } from "../evidence/kinds.js";
import type { PolicyDocument, RepairClassDocument } from "./policy-schema.js";
import { compileDriftRules, type DriftRules } from "../drift/drift-rules.js";
import { boundedSeconds, MAX_AGE_LIMIT_SECONDS, SKEW_TOLERANCE_LIMIT_SECONDS } from "./duration-limits.js";
import { REQUIRED_HARD_MANUAL_ACTIONS } from "./required-hard-manual.js";

/** A validated policy in the form the verdict engine reads. Plain data; no file handles, no clocks. */
export interface Policy {
  /** sha256 of the policy file's bytes: `sha256sum policies/iskra-openclaw.v0.toml` gives the same. */
  digest: Sha256Digest;
  name: string;
  skewToleranceSeconds: number;
  maxAgeSeconds: Readonly<Record<EvidenceKind, number>>;
  /** action name → the hard-manual class that owns it */
  hardManualActions: ReadonlyMap<string, string>;
  repairClasses: ReadonlyMap<string, RepairClassDocument>;
  /** The `[drift]` section with its globs compiled; null when the policy has no deploy-drift lane. */
  drift: DriftRules | null;
  document: PolicyDocument;
}

export function compilePolicy(document: PolicyDocument, digest: Sha256Digest): Policy {
  const maxAgeSeconds = Object.fromEntries(
    EVIDENCE_KINDS.map((kind) => [kind, boundedSeconds(document.evidence[kind].max_age, MAX_AGE_LIMIT_SECONDS)]),
  ) as Record<EvidenceKind, number>;
  // The product boundary's actions first, so not even an unchecked document can leave them out.
  const hardManualActions = new Map<string, string>();
  for (const [name, actions] of Object.entries(REQUIRED_HARD_MANUAL_ACTIONS)) {
    for (const action of actions) hardManualActions.set(action, name);
  }
  for (const [name, cls] of Object.entries(document.hard_manual)) {
    for (const action of cls.actions) hardManualActions.set(action, name);
  }
  return {
    digest,
    name: document.name,
    skewToleranceSeconds: boundedSeconds(document.clock.skew_tolerance, SKEW_TOLERANCE_LIMIT_SECONDS),
    maxAgeSeconds,
    hardManualActions,
    repairClasses: new Map(Object.entries(document.repair_classes)),
    drift: document.drift === undefined ? null : compileDriftRules(document.drift),
    document,
  };
}

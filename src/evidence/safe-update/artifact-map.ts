import type { EvidenceKind } from "../kinds.js";

export interface KitArtifactMapping {
  /** The artifact's own `schema` field must say this. */
  schema: string;
  kind: EvidenceKind;
  /** Its key in verdict.json's `decision_content.evidence_status`. */
  statusKey: string;
  subject: string;
}

/**
 * How the kit's artifacts map onto Patchwarden's evidence kinds. The attestation observes the
 * installed runtime, so it is runtime truth; the post-upgrade e2e file is a plan of checks that
 * have not run, so it is a repair plan and never counts as a postcheck. A Map, not an object:
 * paths come from the bundle, and `constructor` or `__proto__` must not look like known artifacts.
 */
export const KIT_ARTIFACTS: ReadonlyMap<string, KitArtifactMapping> = new Map(Object.entries({
  "runtime-truth.json": { schema: "openclaw.safe_update.runtime_truth.v1", kind: "runtime-truth-report", statusKey: "runtime_truth", subject: "runtime-truth" },
  "installation-attestation.json": { schema: "openclaw.safe_update.installation_attestation.v1", kind: "runtime-truth-report", statusKey: "installation_attestation", subject: "installation-attestation" },
  "core-candidate-lock.json": { schema: "openclaw.safe_update.core_candidate_lock.v1", kind: "openclaw-upgrade-simulator", statusKey: "core_candidate_lock", subject: "core-candidate-lock" },
  "installation-candidate-lock.json": { schema: "openclaw.safe_update.installation_candidate_lock.v1", kind: "openclaw-upgrade-simulator", statusKey: "installation_candidate_lock", subject: "installation-candidate-lock" },
  "synthetic-update.json": { schema: "openclaw.safe_update.synthetic_update.v1", kind: "openclaw-upgrade-simulator", statusKey: "synthetic_update", subject: "synthetic-update" },
  "customization-compatibility.json": { schema: "openclaw.safe_update.customization_compatibility.v1", kind: "openclaw-upgrade-simulator", statusKey: "customization_compatibility", subject: "customization-compatibility" },
  "coverage-report.json": { schema: "openclaw.safe_update.coverage_report.v1", kind: "openclaw-upgrade-simulator", statusKey: "installation_coverage", subject: "installation-coverage" },
  "conservative-gates.json": { schema: "openclaw.safe_update.conservative_gates.v1", kind: "safe-update-dry-run", statusKey: "conservative_gates", subject: "conservative-gates" },
  "post-upgrade-e2e.json": { schema: "openclaw.safe_update.post_upgrade_e2e.v1", kind: "supervised-repair-plan", statusKey: "post_upgrade_e2e_plan", subject: "post-upgrade-check-plan" },
} satisfies Record<string, KitArtifactMapping>));

/** The item the gate builds from verdict.json, the kit's own authoritative status. */
export const KIT_VERDICT_SUBJECT = "safe-update-verdict";

/** The item that carries evidence-bundle.json's own fields to the approval-claim rule. */
export const KIT_BUNDLE_SUBJECT = "safe-update-evidence-bundle";

/** Items for artifacts the gate does not know: one subject each, apart from every known one. */
export const KIT_UNKNOWN_SUBJECT_PREFIX = "unknown-artifact:";

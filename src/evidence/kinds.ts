/** The evidence Iskra/OpenClaw produces, by the names founding request #68 gave them. */
export const EVIDENCE_KINDS = [
  "runtime-truth-report",
  "openclaw-upgrade-simulator",
  "autoheal-dashboard",
  "safe-update-dry-run",
  "incident-packet",
  "remediation-proposal",
  "supervised-repair-plan",
  "deploy-drift-probe",
] as const;

export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export const EVIDENCE_STATUSES = ["pass", "warn", "fail", "unknown"] as const;
export type EvidenceStatus = (typeof EVIDENCE_STATUSES)[number];

export function isEvidenceKind(value: string): value is EvidenceKind {
  return (EVIDENCE_KINDS as readonly string[]).includes(value);
}

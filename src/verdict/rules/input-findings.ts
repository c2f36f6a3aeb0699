import type { EvaluationInput } from "../../evidence/evaluation-input.js";
import { reason } from "../rule-context.js";
import type { Reason } from "../verdict-types.js";

/** Problems found while reading and validating the input become reasons as they are. */
export function inputFindingReasons(input: EvaluationInput): Reason[] {
  return input.findings.map((finding) => {
    const item = finding.evidenceIndex !== undefined ? input.bundle?.evidence[finding.evidenceIndex] : undefined;
    return reason(finding.code, finding.message, {
      path: finding.path,
      ...(item && finding.evidenceIndex !== undefined ? { evidence: { index: finding.evidenceIndex, kind: item.kind, ...(item.subject !== undefined ? { subject: item.subject } : {}) } } : {}),
    });
  });
}

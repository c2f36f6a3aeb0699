import { reason, type Rule } from "../rule-context.js";

export const requiredEvidenceRule: Rule = ({ bundle, repairClass }) => {
  if (repairClass === undefined) return [];
  return repairClass.requires
    .filter((kind) => !bundle.evidence.some((item) => item.kind === kind))
    .map((kind) =>
      reason("evidence_missing", `repair class \`${bundle.candidate.repair_class}\` requires \`${kind}\` evidence and the bundle has none; attach it and re-run the gate`, {
        path: "bundle.evidence",
      }),
    );
};

import { quote } from "../../diagnostics/diagnostic.js";
import { describeItem, evidenceRef, reason, type Rule } from "../rule-context.js";
import type { Reason } from "../verdict-types.js";

/** An item's artifact must be present and hash to the declared digest; otherwise it proves nothing. */
export const artifactRule: Rule = ({ bundle, input }) => {
  const reasons: Reason[] = [];
  for (const check of input.artifacts) {
    const item = bundle.evidence[check.evidenceIndex];
    if (item === undefined) continue;
    const extra = { path: `bundle.evidence[${check.evidenceIndex}].artifact`, evidence: evidenceRef(item, check.evidenceIndex) };
    if (check.observed === null) {
      reasons.push(reason("artifact_missing", `${describeItem(item, check.evidenceIndex)} names artifact ${quote(check.path)}, which could not be read (${check.problem ?? "not provided"}); provide it beside the bundle`, extra));
    } else if (check.observed !== check.declared) {
      reasons.push(
        reason("artifact_digest_mismatch", `artifact ${quote(check.path)} hashes to ${check.observed}, but the bundle declares ${check.declared}; the artifact changed after the bundle was written, so regenerate the bundle from its producer`, extra),
      );
    }
  }
  const checked = new Set(input.artifacts.map((check) => check.evidenceIndex));
  bundle.evidence.forEach((item, index) => {
    if (item.sha256 !== undefined && item.artifact === undefined && !checked.has(index)) {
      reasons.push(
        reason("artifact_digest_unverified", `${describeItem(item, index)} gives a sha256 but names no artifact; the digest is recorded, not checked`, {
          path: `bundle.evidence[${index}].sha256`,
          evidence: evidenceRef(item, index),
        }),
      );
    }
  });
  return reasons;
};

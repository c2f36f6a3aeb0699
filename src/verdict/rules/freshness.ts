import { formatDuration } from "../../time/duration.js";
import { formatIsoTime } from "../../time/iso-time.js";
import { describeItem, evidenceRef, reason, type Rule } from "../rule-context.js";
import type { Reason } from "../verdict-types.js";

/** Future-dated, stale or expired evidence blocks: an old "pass" says nothing about now. */
export const freshnessRule: Rule = ({ bundle, policy, now, times }) => {
  const reasons: Reason[] = [];
  bundle.evidence.forEach((item, index) => {
    const { generated, expires } = times[index]!;
    const ageSeconds = (now - generated) / 1000;
    const maxAge = policy.maxAgeSeconds[item.kind];
    if (-ageSeconds > policy.skewToleranceSeconds) {
      reasons.push(
        reason("evidence_from_future", `${describeItem(item, index)} is dated ${formatDuration(-ageSeconds)} in the future, beyond the ${formatDuration(policy.skewToleranceSeconds)} clock-skew tolerance; check the producer's clock`, {
          path: `bundle.evidence[${index}].generated_at`,
          evidence: evidenceRef(item, index),
        }),
      );
    } else if (ageSeconds > maxAge) {
      reasons.push(
        reason("evidence_stale", `${describeItem(item, index)} is ${formatDuration(ageSeconds)} old, over the policy's ${formatDuration(maxAge)} maximum for its kind; produce fresh evidence and re-run the gate`, {
          path: `bundle.evidence[${index}].generated_at`,
          evidence: evidenceRef(item, index),
        }),
      );
    }
    if (expires !== null) {
      if (now >= expires) {
        reasons.push(
          reason("evidence_expired", `${describeItem(item, index)} expired at ${formatIsoTime(expires)} (its own \`expires_at\`), ${formatDuration((now - expires) / 1000)} ago; produce fresh evidence and re-run the gate`, {
            path: `bundle.evidence[${index}].expires_at`,
            evidence: evidenceRef(item, index),
          }),
        );
      }
    }
  });
  return reasons;
};

import { formatPath } from "../../diagnostics/diagnostic.js";
import type { EvidenceItem } from "../../evidence/bundle-schema.js";
import { formatDuration } from "../../time/duration.js";
import { formatIsoTime } from "../../time/iso-time.js";
import { describeItem, evidenceRef, reason, type ItemTimes, type Rule, type RuleContext } from "../rule-context.js";
import type { Reason } from "../verdict-types.js";
import { fieldName } from "./data-findings.js";
import type { ObservedTime } from "./observed-time.js";

/** Future-dated, stale or expired evidence blocks: an old "pass" says nothing about now. */
export const freshnessRule: Rule = (context) => {
  const { bundle, policy, now, times } = context;
  const reasons: Reason[] = [];
  bundle.evidence.forEach((item, index) => {
    const { generated, expires, observed } = times[index]!;
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
    if (observed !== null) reasons.push(...observedTimeReasons(item, index, observed, times[index]!, context));
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

/**
 * A time in the data at which what the item carries was observed (observed-time.ts) is judged like
 * the item's own: a fresh report can wrap a cached snapshot. It cannot be later than the report
 * that carries it, nor than now; what the item's own time already says is not said twice.
 */
function observedTimeReasons(item: EvidenceItem, index: number, observed: ObservedTime, { generated }: ItemTimes, { policy, now }: RuleContext): Reason[] {
  const extra = { path: formatPath(`bundle.evidence[${index}].data`, observed.at), evidence: evidenceRef(item, index) };
  const field = fieldName(observed.at);
  const skew = policy.skewToleranceSeconds;
  const itemAhead = (generated - now) / 1000 > skew;
  const reference = itemAhead ? generated : Math.min(generated, now);
  const ahead = (observed.time - reference) / 1000;
  if (ahead > skew) {
    const after = reference === generated ? "after the item's own `generated_at`" : "in the future";
    return [reason("evidence_from_future", `${describeItem(item, index)} carries ${observed.what} (${field}) dated ${formatDuration(ahead)} ${after}, beyond the ${formatDuration(skew)} clock-skew tolerance; check the producer's clock`, extra)];
  }
  const maxAge = policy.maxAgeSeconds[item.kind];
  const age = (now - observed.time) / 1000;
  if (age > maxAge && (now - generated) / 1000 <= maxAge) {
    return [
      reason(
        "evidence_stale",
        `${describeItem(item, index)} carries ${observed.what} (${field}) taken ${formatDuration(age)} ago, over the policy's ${formatDuration(maxAge)} maximum for its kind, however fresh the item itself; take it again and re-run the gate`,
        extra,
      ),
    ];
  }
  return [];
}

import { parseIsoTime } from "../../time/iso-time.js";
import { formatDuration } from "../../time/duration.js";
import { reason, type Rule } from "../rule-context.js";

export const bundleTimeRule: Rule = ({ bundle, policy, now }) => {
  const generated = parseIsoTime(bundle.generated_at) ?? Number.NEGATIVE_INFINITY;
  const ahead = (generated - now) / 1000;
  if (ahead > policy.skewToleranceSeconds) {
    return [
      reason("bundle_from_future", `the bundle is dated ${formatDuration(ahead)} in the future, beyond the ${formatDuration(policy.skewToleranceSeconds)} clock-skew tolerance; check the producer's clock`, {
        path: "bundle.generated_at",
      }),
    ];
  }
  return [];
};

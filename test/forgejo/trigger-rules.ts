import type { TriggerRules } from "../../src/forgejo/classify-delivery.js";
import { REPO } from "../helpers/server-harness.js";

/** Who and what may trigger a check in the classification tests: the server harness's repository and accounts. */
export function triggerRules(over: Partial<TriggerRules> = {}): TriggerRules {
  return {
    repos: new Set([REPO]),
    operators: new Set(["root"]),
    producers: new Set(["iskra-bot"]),
    gateLabel: "gate/review",
    evidenceGlobs: ["evidence/**/*.json"],
    policyGlobs: [],
    ...over,
  };
}

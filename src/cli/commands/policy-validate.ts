import type { Command } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { readPolicy } from "../../policy/read-policy.js";
import { policyPath } from "../policy-option.js";

export const policyValidate: Command = {
  name: "policy validate",
  summary: "check a policy file and list every problem at once",
  usage: "patchwarden policy validate [PATH]",
  help: `Loads a policy TOML file and reports every problem with its TOML path. Unknown keys are
errors: a typo in a safety policy must not pass silently.

  PATH   the policy (default: --policy, $PATCHWARDEN_POLICY, \`policy\` in the
         $PATCHWARDEN_CONFIG file, else the shipped policy)

Exit status: 0 valid, 2 invalid or unreadable.`,
  options: { policy: { type: "string" } },
  positionals: { min: 0, max: 1 },
  async run(context) {
    const path = await policyPath(context, context.positionals[0]);
    const policy = await readPolicy(path);
    const doc = policy.document;
    const mutating = [...policy.repairClasses.entries()].filter(([, cls]) => cls.mutation).map(([name]) => name);
    context.io.stdout(
      [
        `${path}: valid policy \`${policy.name}\` (${policy.digest})`,
        `  repair classes: ${[...policy.repairClasses.keys()].join(", ")}`,
        `  mutating (at best needs_human): ${mutating.join(", ") || "none"}`,
        `  hard-manual classes: ${Object.keys(doc.hard_manual).join(", ")}`,
        `  clock-skew tolerance: ${doc.clock.skew_tolerance}`,
        "",
      ].join("\n"),
    );
    return EXIT.ok;
  },
};

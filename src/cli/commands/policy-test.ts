import { resolve } from "node:path";
import { findCaseFiles, runCaseFile } from "../../policy/cases/run-cases.js";
import type { Command } from "../command.js";
import { CheckFailed, UsageError } from "../errors.js";
import { EXIT } from "../exit-codes.js";
import { loadPolicy } from "../policy-option.js";
import { echo } from "../user-paths.js";

export const policyTest: Command = {
  name: "policy test",
  summary: "run golden cases (bundle, now, expected verdict and reasons) against a policy",
  usage: "patchwarden policy test DIR [--policy PATH]",
  help: `Runs every *.case.yaml (or .yml/.json) under DIR, as \`opa test\` does for Rego. Each case gives a
bundle (a path, or inline), a \`now\`, and the expected verdict and exact set of reason codes.

  DIR             folder of case files (searched recursively)
  --policy PATH   the policy under test (default: $PATCHWARDEN_POLICY, \`policy\` in the
                  $PATCHWARDEN_CONFIG file, else the shipped policy);
                  a case may name its own with \`policy:\`

Exit status: 0 all cases pass, 1 a case failed, 2 bad arguments or policy.`,
  options: { policy: { type: "string" } },
  positionals: { min: 1, max: 1 },
  async run(context) {
    const dir = resolve(context.io.cwd, context.positionals[0]!);
    const policy = await loadPolicy(context);
    let files: string[];
    try {
      files = await findCaseFiles(dir);
    } catch {
      throw new UsageError(`${echo(dir)} is not a readable folder; give the folder holding the *.case.yaml files`);
    }
    if (files.length === 0) throw new UsageError(`${echo(dir)} holds no *.case.yaml files; a policy test with no cases proves nothing`);
    let failed = 0;
    for (const file of files) {
      const result = await runCaseFile(file, policy, dir);
      if (result.ok) {
        context.io.stdout(`ok    ${result.name}\n`);
      } else {
        failed++;
        context.io.stdout(`FAIL  ${result.name}\n${result.failures.map((f) => `      ${f}\n`).join("")}`);
      }
    }
    context.io.stdout(`\n${files.length - failed} passed, ${failed} failed (policy ${policy.name} ${policy.digest})\n`);
    if (failed > 0) throw new CheckFailed(`${failed} of ${files.length} golden case(s) failed`);
    return EXIT.ok;
  },
};

import { relative, resolve } from "node:path";
import { readPolicy } from "../../policy/read-policy.js";
import { ReplayLogError } from "../../replay/past-verdicts.js";
import { renderReplayText } from "../../replay/render-replay.js";
import { replayVerdicts, type ReplayReport } from "../../replay/replay-verdicts.js";
import { parseIsoTime } from "../../time/iso-time.js";
import type { Command, CommandContext } from "../command.js";
import { DATA_DIR_VARIABLE } from "../../receipts/data-dir.js";
import { CheckFailed, ConfigError, UsageError } from "../errors.js";
import { EXIT } from "../exit-codes.js";
import { dataDirHelp, DATA_DIR_OPTION, dataDirOf } from "../operator-options.js";
import { stringOption } from "../options.js";
import { policyPath } from "../policy-option.js";
import { quote } from "../../diagnostics/diagnostic.js";
import { echo } from "../user-paths.js";
import { safeJson } from "../../observability/safe-json.js";

export const replay: Command = {
  name: "replay",
  summary: "judge past verdicts' evidence again under a policy and list what would change",
  usage: "patchwarden replay [--policy PATH] [--running PATH] [--since ISO] [--data-dir DIR] [--json] [--fail-on-loosen]",
  help: `Judges the evidence behind every verdict receipt again (the bytes kept in the data folder),
each as of the time it was first judged, under the current policy or a candidate one, and lists
every verdict that would change: looser changes first (blocked → eligible_repair_dry_run before
needs_human → eligible_repair_dry_run), then stricter ones. A candidate is also compared with the
running policy as written: a setting it loosens (a raised max_age, a class made non-mutating, a
drift rule lowered, …) is listed even when no past verdict shows it. Run it on a policy edit before
merging it to see what the edit loosens. Read-only.

  --policy PATH       the policy to replay under (default: the running policy)
  --running PATH      the policy in force, which the candidate is compared with (default:
                      $PATCHWARDEN_POLICY, \`policy\` in the $PATCHWARDEN_CONFIG file, else the
                      shipped policies/iskra-openclaw.v0.toml)
  --since ISO         only verdicts recorded at or after this time, e.g. 2026-11-01T00:00:00Z
${dataDirHelp(22)}
  --json              print the report as JSON
  --fail-on-loosen    exit 1 when any setting is looser than the running policy, any verdict
                      would loosen, or any could not be replayed (then the replay cannot show
                      that none loosens); for a CI check on policy edits

A verdict held by a repair lock is held again. A verdict first judged by another engine version
is marked: part of its change may be the engine's.

Exit status: 0, 1 with --fail-on-loosen as above, or when the receipt log is damaged, or cut
short or missing while receipts.head records more (run \`patchwarden receipts verify\`), 2 when it
cannot run (bad flags, unreadable or invalid policy, no such data folder; with --fail-on-loosen,
a data folder with no receipt log, such as the mount point of a volume that is not mounted).`,
  options: { policy: { type: "string" }, running: { type: "string" }, since: { type: "string" }, json: { type: "boolean" }, "fail-on-loosen": { type: "boolean" }, ...DATA_DIR_OPTION },
  positionals: { min: 0, max: 0 },
  async run(context) {
    const since = sinceOption(context);
    const path = await policyPath(context);
    const runningPath = await runningPolicyPath(context);
    const policy = await readPolicy(path);
    const running = runningPath === path ? policy : await readPolicy(runningPath);
    const failOnLoosen = context.values["fail-on-loosen"] === true;
    // A folder that is not there (a typo, an unmounted volume) is no history: "nothing would
    // change" from it would pass the CI check without checking anything.
    const dataDir = await dataDirOf(context, { mustExist: true });
    let report: ReplayReport;
    try {
      report = await replayVerdicts(dataDir, policy, { since, running });
    } catch (error) {
      if (error instanceof ReplayLogError) throw new CheckFailed(error.message);
      throw error;
    }
    // An empty folder is what an unmounted volume's mount point looks like: the check would pass on nothing.
    if (failOnLoosen && !report.receipt_log) throw new ConfigError(`${echo(dataDir)} holds no receipt log (no receipts/receipts.jsonl, no receipts/receipts.head), so there is nothing to check; give the server's data folder (its ${DATA_DIR_VARIABLE})`);
    context.io.stdout(context.values["json"] === true ? safeJson(report, 2) : renderReplayText(report, relative(context.io.cwd, path) || path));
    if (failOnLoosen) {
      const uncovered = report.without_evidence + report.unreplayable.length;
      const looser = [
        ...(report.policy_loosenings.length > 0 ? [`${report.policy_loosenings.length} setting(s) of ${path} are looser than the running ${runningPath}`] : []),
        ...(report.loosened > 0 ? [`${report.loosened} past verdict(s) would be looser under ${path}`] : []),
      ];
      if (looser.length > 0) throw new CheckFailed(looser.join("; "));
      if (uncovered > 0) throw new CheckFailed(`${uncovered} past verdict(s) could not be replayed, so the replay cannot show that nothing loosens; see the notes above (or start after them with --since)`);
    }
    return EXIT.ok;
  },
};

/** --running, else where the server reads its policy from: policyPath as if no --policy were given. */
async function runningPolicyPath(context: CommandContext): Promise<string> {
  const given = stringOption(context, "running");
  if (given !== undefined) {
    if (given.trim() === "") throw new UsageError("--running: is empty; name the policy in force, or leave it out to use the server's");
    return resolve(context.io.cwd, given);
  }
  return policyPath({ ...context, values: { ...context.values, policy: undefined } });
}

function sinceOption(context: CommandContext): number | null {
  const value = stringOption(context, "since");
  if (value === undefined) return null;
  const ms = parseIsoTime(value);
  if (ms === null) throw new UsageError(`--since: ${quote(value)} is not an ISO-8601 time with seconds and an explicit offset; write it like \`2026-11-01T00:00:00Z\``);
  return ms;
}

import { relative } from "node:path";
import { readPolicy } from "../../policy/read-policy.js";
import { ReplayLogError } from "../../replay/past-verdicts.js";
import { renderReplayText } from "../../replay/render-replay.js";
import { replayVerdicts, type ReplayReport } from "../../replay/replay-verdicts.js";
import { parseIsoTime } from "../../time/iso-time.js";
import type { Command, CommandContext } from "../command.js";
import { CheckFailed, UsageError } from "../errors.js";
import { EXIT } from "../exit-codes.js";
import { DATA_DIR_HELP, DATA_DIR_OPTION, dataDirOf } from "../operator-options.js";
import { stringOption } from "../options.js";
import { policyPath } from "../policy-option.js";
import { quote } from "../../diagnostics/diagnostic.js";

export const replay: Command = {
  name: "replay",
  summary: "judge past verdicts' evidence again under a policy and list what would change",
  usage: "patchwarden replay [--policy PATH] [--since ISO] [--data-dir DIR] [--json] [--fail-on-loosen]",
  help: `Judges the evidence behind every verdict receipt again (the bytes kept in the data folder),
each as of the time it was first judged, under the current policy or a candidate one, and lists
every verdict that would change: looser changes first (blocked → eligible_repair_dry_run before
needs_human → eligible_repair_dry_run), then stricter ones. Run it on a policy edit before merging
it to see what the edit loosens. Read-only.

  --policy PATH       the policy to replay under (default: $PATCHWARDEN_POLICY, \`policy\` in the
                      $PATCHWARDEN_CONFIG file, else the shipped
                      policies/iskra-openclaw.v0.toml)
  --since ISO         only verdicts recorded at or after this time, e.g. 2026-11-01T00:00:00Z
${DATA_DIR_HELP}
  --json              print the report as JSON
  --fail-on-loosen    exit 1 when any verdict would loosen, or any could not be replayed (then
                      the replay cannot show that none loosens); for a CI check on policy edits

A verdict held by a repair lock is held again. A verdict first judged by another engine version
is marked: part of its change may be the engine's.

Exit status: 0, 1 with --fail-on-loosen as above, or when the receipt log is damaged, or cut
short or missing while receipts.head records more (run \`patchwarden receipts verify\`), 2 when it
cannot run (bad flags, unreadable or invalid policy, no such data folder).`,
  options: { policy: { type: "string" }, since: { type: "string" }, json: { type: "boolean" }, "fail-on-loosen": { type: "boolean" }, ...DATA_DIR_OPTION },
  positionals: { min: 0, max: 0 },
  async run(context) {
    const since = sinceOption(context);
    const path = await policyPath(context);
    const policy = await readPolicy(path);
    let report: ReplayReport;
    try {
      // A folder that is not there (a typo, an unmounted volume) is no history: "nothing would
      // change" from it would pass the CI check without checking anything.
      report = await replayVerdicts(await dataDirOf(context, { mustExist: true }), policy, since);
    } catch (error) {
      if (error instanceof ReplayLogError) throw new CheckFailed(error.message);
      throw error;
    }
    context.io.stdout(context.values["json"] === true ? `${JSON.stringify(report, null, 2)}\n` : renderReplayText(report, relative(context.io.cwd, path) || path));
    if (context.values["fail-on-loosen"] === true) {
      const uncovered = report.without_evidence + report.unreplayable.length;
      if (report.loosened > 0) throw new CheckFailed(`${report.loosened} past verdict(s) would be looser under ${path}`);
      if (uncovered > 0) throw new CheckFailed(`${uncovered} past verdict(s) could not be replayed, so the replay cannot show that nothing loosens; see the notes above (or start after them with --since)`);
    }
    return EXIT.ok;
  },
};

function sinceOption(context: CommandContext): number | null {
  const value = stringOption(context, "since");
  if (value === undefined) return null;
  const ms = parseIsoTime(value);
  if (ms === null) throw new UsageError(`--since: ${quote(value)} is not an ISO-8601 time with seconds and an explicit offset; write it like \`2026-11-01T00:00:00Z\``);
  return ms;
}

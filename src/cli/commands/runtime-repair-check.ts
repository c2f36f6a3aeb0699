import { randomUUID } from "node:crypto";
import { resolve } from "node:path";
import { readLatestEvidence } from "../../evidence/latest-evidence.js";
import { readEvidenceSnapshot } from "../../evidence/read-evidence.js";
import { snapshotToInput, type EvidenceSnapshot } from "../../evidence/snapshot.js";
import { applyTargetLocks } from "../../locks/apply-locks.js";
import { RepairLocks } from "../../locks/repair-locks.js";
import type { Policy } from "../../policy/policy.js";
import { EvidenceStore } from "../../queue/evidence-store.js";
import { ProposalStore } from "../../queue/proposal-store.js";
import { describeTarget, parseProposalTarget, type ProposalTarget } from "../../queue/proposal-target.js";
import { proposeVerdict } from "../../queue/propose-verdict.js";
import { verdictDraft } from "../../receipts/drafts.js";
import { trustHooks } from "../../receipts/proposal-recorder.js";
import { evaluate } from "../../verdict/evaluate.js";
import { renderVerdict, VERDICT_FORMATS } from "../../verdict/render/render.js";
import type { Verdict } from "../../verdict/verdict-types.js";
import type { Command, CommandContext } from "../command.js";
import { UsageError } from "../errors.js";
import { exitCodeFor } from "../exit-codes.js";
import { actorOf, dataDirHelp, DATA_DIR_OPTION, dataDirOf, logForReading, openLogForWriting, withLogErrors } from "../operator-options.js";
import { choiceOption, nowOption, stringOption } from "../options.js";
import { loadPolicy } from "../policy-option.js";

export const runtimeRepairCheck: Command = {
  name: "runtime-repair-check",
  summary: "judge an evidence bundle and print the verdict (never acts)",
  usage: "patchwarden runtime-repair-check (--bundle PATH | --latest-in DIR) [--receipt] [--propose TARGET] [--policy PATH] [--now ISO] [--format json|text|markdown] [--data-dir DIR] [--actor LOGIN]",
  help: `Judges one evidence bundle against the policy and prints a verdict. Nothing is executed,
restarted, deployed or posted.

  --bundle PATH      a patchwarden.evidence_bundle.v1 file (JSON or YAML), a safe-update kit
                     run folder, or its evidence-bundle.json
  --latest-in DIR    the newest bundle in DIR instead: a *.json/*.yaml/*.yml file or a run folder
                     holding evidence-bundle.json, by modification time (hidden names skipped);
                     none there is a blocked verdict (bundle_not_found), and so is a newest entry
                     that links out of DIR or cannot be read; one still being written is waited
                     for up to 10 s (publish bundles by writing a temp file and renaming it)
  --receipt          record the verdict in the receipt log and keep the judged bytes in the data
                     folder (for \`patchwarden replay\` and audits)
  --propose TARGET   also queue the verdict as a proposal for the operator to approve:
                     owner/name#N (a comment on issue or pull request N) or owner/name@SHA (a
                     commit status). Implies --receipt. Nothing is posted until
                     \`patchwarden queue approve\`.
  --policy PATH      policy TOML (default: $PATCHWARDEN_POLICY, \`policy\` in the
                     $PATCHWARDEN_CONFIG file, else the shipped
                     policies/iskra-openclaw.v0.toml)
  --now ISO          judge as of this time (default: the clock), e.g. 2026-11-21T05:00:00Z
  --format F         json (default), text, or markdown (the Forgejo comment body)
${dataDirHelp(21)}
  --actor LOGIN      who ran the check, for the receipt (default $PATCHWARDEN_OPERATOR, else $USER)

Repair locks: a candidate whose host or service an operator has locked (as the data folder's
receipt log records) is held at needs_human (reason target_locked). Receipts are signed when
PATCHWARDEN_RECEIPT_KEY (else receipt_key in PATCHWARDEN_CONFIG) names a key.

Exit status: 0 eligible_repair_dry_run, 10 needs_human, 20 blocked (also for an unreadable or
invalid bundle, or none found), 2 when it cannot run (bad flags, unreadable or invalid policy, a
data folder or signing key it cannot use), 1 when the receipt log is damaged, or missing or cut
short while receipts.head records more (no verdict is given then: the locks cannot be known).`,
  options: {
    bundle: { type: "string" },
    "latest-in": { type: "string" },
    receipt: { type: "boolean" },
    propose: { type: "string" },
    policy: { type: "string" },
    now: { type: "string" },
    format: { type: "string" },
    actor: { type: "string" },
    ...DATA_DIR_OPTION,
  },
  positionals: { min: 0, max: 0 },
  async run(context) {
    const readSnapshot = evidenceSource(context);
    const format = choiceOption(context, "format", VERDICT_FORMATS, "json");
    const now = nowOption(context);
    const proposeTo = proposalTargetOf(context);
    const actor = proposeTo !== undefined || context.values["receipt"] === true ? actorOf(context) : undefined;
    const policy = await loadPolicy(context);
    const snapshot = await readSnapshot();
    const verdict = actor === undefined ? await judge(context, snapshot, policy, now) : await judgeAndRecord(context, snapshot, policy, now, actor, proposeTo);
    context.io.stdout(renderVerdict(verdict, format));
    return exitCodeFor(verdict.verdict);
  },
};

function evidenceSource(context: CommandContext): () => Promise<EvidenceSnapshot> {
  const bundle = stringOption(context, "bundle");
  const latestIn = stringOption(context, "latest-in");
  if (bundle !== undefined && latestIn !== undefined) throw new UsageError("--bundle and --latest-in: give one of them, not both");
  // What `--latest-in "$DIR"` gives with DIR unset in a unit or drop-in: named, not taken for a missing --bundle.
  if (bundle !== undefined && bundle.trim() === "") throw new UsageError("--bundle: is empty; give the bundle file or run folder to judge, e.g. `--bundle evidence/bundle.json`");
  if (latestIn !== undefined && latestIn.trim() === "") throw new UsageError("--latest-in: is empty; give the folder Iskra writes its bundles into, e.g. `--latest-in /var/lib/iskra/evidence`");
  if (bundle !== undefined) return () => readEvidenceSnapshot(resolve(context.io.cwd, bundle));
  if (latestIn !== undefined) return () => readLatestEvidence(resolve(context.io.cwd, latestIn));
  throw new UsageError("--bundle: missing; give a bundle, e.g. `--bundle evidence/bundle.json`, or a folder to take the newest from, e.g. `--latest-in /var/lib/iskra/evidence`");
}

function proposalTargetOf(context: CommandContext): ProposalTarget | undefined {
  const given = stringOption(context, "propose");
  if (given === undefined) return undefined;
  const parsed = parseProposalTarget(given.trim());
  if (!parsed.ok) throw new UsageError(`--propose: ${parsed.problem}`);
  return parsed.target;
}

/**
 * Read-only: the verdict, held by any repair lock the data folder's receipt log records. The lock
 * state is always read, never skipped when the log is absent: a log removed or cut while its head
 * records receipts is damage (exit 1), and only a folder with neither file holds no locks.
 */
async function judge(context: CommandContext, snapshot: EvidenceSnapshot, policy: Policy, now: number): Promise<Verdict> {
  const verdict = evaluate(snapshotToInput(snapshot), policy, now);
  const dataDir = await dataDirOf(context, { mustExist: "when-named" });
  const log = await logForReading(context, dataDir);
  const leases = await withLogErrors(() => new RepairLocks(log).activeLeases(now), dataDir);
  return applyTargetLocks(verdict, leases, now);
}

/** --receipt / --propose: the judged bytes kept, the verdict (and proposal) recorded before anything is queued. */
async function judgeAndRecord(context: CommandContext, snapshot: EvidenceSnapshot, policy: Policy, now: number, actor: string, proposeTo: ProposalTarget | undefined): Promise<Verdict> {
  const dataDir = await dataDirOf(context);
  const log = await openLogForWriting(context);
  const locks = new RepairLocks(log);
  const evidence = new EvidenceStore(dataDir);
  return withLogErrors(async () => {
    if (proposeTo !== undefined) {
      const proposal = await proposeVerdict(snapshot, proposeTo, { trigger: "schedule", delivery: null, idSeed: `check:${randomUUID()}` }, {
        evidence,
        proposals: new ProposalStore(dataDir),
        policy,
        now,
        actor,
        outputs: new Set(["queue"]),
        printLine: () => {},
        ...trustHooks(log, locks, () => now, { actor }),
      });
      context.io.stderr(`patchwarden: proposed ${proposal.id} (${proposal.verdict.verdict}) for ${describeTarget(proposeTo)}; nothing is posted until an operator runs \`patchwarden queue approve ${proposal.id}\`\n`);
      return proposal.verdict;
    }
    const verdict = applyTargetLocks(evaluate(snapshotToInput(snapshot), policy, now), await locks.activeLeases(now), now);
    const evidenceRef = await evidence.save(snapshot);
    const receipt = await log.append(verdictDraft(verdict, { actor, evidenceRef }));
    context.io.stderr(`patchwarden: recorded the verdict as receipt ${receipt.seq} (evidence ${evidenceRef.slice(0, 12)})\n`);
    return verdict;
  }, dataDir);
}

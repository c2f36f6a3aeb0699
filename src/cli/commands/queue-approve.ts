import { readServerConfig } from "../../config/read-server-config.js";
import { DEFAULT_LIMITS } from "../../evidence/artifact-bytes.js";
import { ForgejoWriter } from "../../forgejo/writer.js";
import { RepairLocks } from "../../locks/repair-locks.js";
import { readPolicy } from "../../policy/read-policy.js";
import { EvidenceStore } from "../../queue/evidence-store.js";
import { approveAsOperator } from "../../queue/operator-actions.js";
import { ProposalStore } from "../../queue/proposal-store.js";
import { proposalOutcome } from "../../queue/proposal.js";
import { describeTarget } from "../../queue/proposal-target.js";
import type { Command } from "../command.js";
import { CheckFailed, ConfigError } from "../errors.js";
import { EXIT } from "../exit-codes.js";
import { actorOf, dataDirOf, DATA_DIR_HELP, DATA_DIR_OPTION, openLogForWriting, withLogErrors } from "../operator-options.js";

export const queueApprove: Command = {
  name: "queue approve",
  summary: "re-check a proposal and, if it still holds, post it to Forgejo (the only write)",
  usage: "patchwarden queue approve ID [--actor LOGIN] [--data-dir DIR]",
  help: `The only way Patchwarden writes to Forgejo. First the stored evidence is judged again with
the current policy and clock; if the verdict, the bundle digest or the policy digest changed, it
refuses and says what changed, and posts nothing. Otherwise it records the approval (a receipt;
for a repair that will be carried out, a repair lock on its target too) and posts the comment (or
commit status) exactly as proposed. Two approvals at once post exactly one comment; a retry after
a failure finds the earlier comment and does not post it again. A target locked by another
approval is refused with the holder named.

Needs PATCHWARDEN_FORGEJO_WRITE_TOKEN (issue write scope), for this command alone, and
PATCHWARDEN_FORGEJO_URL. Receipts are signed when PATCHWARDEN_RECEIPT_KEY names a key.

  --actor LOGIN   who approves (default $PATCHWARDEN_OPERATOR, else $USER); recorded in the receipt
${DATA_DIR_HELP}

Exit status: 0 posted, 1 refused (nothing posted), 2 bad arguments or configuration.`,
  options: { actor: { type: "string" }, ...DATA_DIR_OPTION },
  positionals: { min: 1, max: 1 },
  async run(context) {
    const writeToken = context.io.env["PATCHWARDEN_FORGEJO_WRITE_TOKEN"];
    if (writeToken === undefined || writeToken === "") {
      throw new ConfigError("PATCHWARDEN_FORGEJO_WRITE_TOKEN: missing; approving posts to Forgejo, so give a token with issue write scope (it is needed for this command alone)");
    }
    const actor = actorOf(context);
    const config = await readServerConfig(context.io.env, context.io.cwd);
    const dataDir = dataDirOf(context);
    const log = await openLogForWriting(context);
    const writer = new ForgejoWriter({ baseUrl: config.forgejoUrl, token: writeToken, timeoutMs: 15_000, maxBytes: DEFAULT_LIMITS.maxBundleBytes, fetch, retryDelayMs: 500 });
    const outcome = await withLogErrors(async () =>
      approveAsOperator(context.positionals[0]!, {
        store: new ProposalStore(dataDir),
        evidence: new EvidenceStore(dataDir),
        log,
        locks: new RepairLocks(log),
        policy: await readPolicy(config.policyPath),
        now: context.io.now(),
        writer,
        actor,
      }),
    );
    if (outcome.kind === "refused") throw new CheckFailed(outcome.reason);
    const { proposal } = outcome;
    const where = proposal.posted?.url ?? describeTarget(proposal.target);
    context.io.stdout(outcome.alreadyPosted ? `${proposal.id} was already on ${where}; recorded as posted, nothing posted again\n` : `posted ${proposal.id} (${proposalOutcome(proposal)}) to ${where}\n`);
    return EXIT.ok;
  },
};

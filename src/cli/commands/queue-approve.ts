import { tokenProblem } from "../../config/header-value.js";
import { readServerConfig } from "../../config/read-server-config.js";
import { DEFAULT_LIMITS } from "../../evidence/artifact-bytes.js";
import { againWhen, ForgejoError } from "../../forgejo/forgejo-error.js";
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
import { actorOf, dataDirOf, dataDirHelp, DATA_DIR_OPTION, openLogForWriting, withLogErrors } from "../operator-options.js";

export const queueApprove: Command = {
  name: "queue approve",
  summary: "re-check a proposal and, if it still holds, post it to Forgejo (the only write)",
  usage: "patchwarden queue approve ID [--actor LOGIN] [--data-dir DIR]",
  help: `The only way Patchwarden writes to Forgejo. First Forgejo is asked whether the comment (or
status) is there already: an approval that stopped after posting is then recorded as posted, and
nothing is posted again; when Forgejo cannot be asked (down, or it refuses the token), it stops
here, before anything is recorded. Then the stored evidence is judged again with the current
policy, clock and repair locks; if the verdict, the bundle digest or the policy digest changed, it
refuses and says what changed, and posts nothing. Otherwise it records the approval (a receipt;
for a repair that will be carried out, a repair lock on its target too; none after a \`blocked\`
verdict) and posts the comment (or commit status) exactly as proposed. A token that may read but
not write (the server's read token, say) gets that far: the proposal is then approved, not
posted, and it says so; approve it again with a write token (nothing is posted twice), or reject
it (its lock is released). Two approvals at once post exactly one comment. A target locked by
another approval is refused with the holder named. A newer proposal for the same target and
bundle supersedes this one: it is refused, and marked superseded.

Needs PATCHWARDEN_FORGEJO_WRITE_TOKEN (write:issue for a comment, write:repository for a commit
status), for this command alone, and PATCHWARDEN_FORGEJO_URL. Receipts are signed when
PATCHWARDEN_RECEIPT_KEY names a key. The data folder, Forgejo URL, policy and key may also come
from the file PATCHWARDEN_CONFIG names, as for the server; the environment wins over it.

  --actor LOGIN   who approves (default $PATCHWARDEN_OPERATOR, else $USER); recorded in the receipt
${dataDirHelp(18)}

Exit status: 0 posted, 1 refused (nothing posted), Forgejo failed, or queue data missing or
damaged, 2 bad arguments or configuration, or no such proposal.`,
  options: { actor: { type: "string" }, ...DATA_DIR_OPTION },
  positionals: { min: 1, max: 1 },
  async run(context) {
    const writeToken = context.io.env["PATCHWARDEN_FORGEJO_WRITE_TOKEN"];
    if (writeToken === undefined || writeToken === "") {
      throw new ConfigError("PATCHWARDEN_FORGEJO_WRITE_TOKEN: missing; approving posts to Forgejo, so give a token with the write:issue scope (and write:repository, for commit statuses); it is needed for this command alone");
    }
    const problem = tokenProblem(writeToken);
    if (problem !== null) throw new ConfigError(`PATCHWARDEN_FORGEJO_WRITE_TOKEN: ${problem}`);
    const id = context.positionals[0]!;
    const actor = actorOf(context);
    const config = await readServerConfig(context.io.env, context.io.cwd);
    const dataDir = await dataDirOf(context, { mustExist: true });
    const store = new ProposalStore(dataDir);
    // An unknown id is said before the receipt log is opened (and made, in an empty folder).
    await store.require(id);
    const log = await openLogForWriting(context);
    const writer = new ForgejoWriter({ baseUrl: config.forgejoUrl, token: writeToken, timeoutMs: 15_000, maxBytes: DEFAULT_LIMITS.maxBundleBytes, fetch, retryDelayMs: 500 });
    const locks = new RepairLocks(log);
    const now = context.io.now();
    const policy = await readPolicy(config.policyPath);
    let outcome;
    try {
      outcome = await withLogErrors(async () => approveAsOperator(id, { store, evidence: new EvidenceStore(dataDir), log, locks, policy, now, writer, actor }), dataDir);
    } catch (error) {
      if (error instanceof ForgejoError) throw await afterForgejoFailed(error, id, store, locks, now);
      throw error;
    }
    if (outcome.kind === "refused") throw new CheckFailed(outcome.reason);
    const { proposal } = outcome;
    const where = proposal.posted?.url ?? describeTarget(proposal.target);
    context.io.stdout(outcome.alreadyPosted ? `${proposal.id} was already on ${where}; recorded as posted, nothing posted again\n` : `posted ${proposal.id} (${proposalOutcome(proposal)}) to ${where}\n`);
    return EXIT.ok;
  },
};

/**
 * What a Forgejo failure left, said as it is. Before the approval was recorded (the look-up
 * failed) a pending proposal keeps its state, which the CLI says of any Forgejo failure. After it
 * (the post failed: Forgejo down, or a token that may read but not write), or on a retry of an
 * approval that stopped, it is approved, with its receipt and maybe a repair lock, and not recorded
 * as posted: approving again asks Forgejo first, so nothing is posted twice; so does rejecting.
 */
async function afterForgejoFailed(error: ForgejoError, id: string, store: ProposalStore, locks: RepairLocks, now: number): Promise<Error> {
  if ((await store.require(id)).state !== "approved") return error;
  const lease = (await locks.activeLeases(now)).find((held) => held.proposal_id === id);
  const lock = lease === undefined ? "" : ` (its repair lock \`${lease.lock_id}\` holds the target)`;
  const refused = error.status === 401 || error.status === 403;
  const again = refused
    ? "approve it again with a token that may post it (write:issue for a comment, write:repository for a commit status)"
    : `approve it again ${againWhen(error)}`;
  const reject = `\`patchwarden queue reject ${id} --reason TEXT\` (it asks Forgejo too${lease === undefined ? "" : ", and releases the lock if it is not there"})`;
  return new CheckFailed(`Forgejo: ${error.message}\nproposal \`${id}\` is approved and not recorded as posted${lock}: ${again}; Forgejo is asked first, so it is never posted twice. Or reject it: ${reject}`);
}

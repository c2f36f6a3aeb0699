import { tokenProblem } from "../../config/header-value.js";
import { readServerConfig } from "../../config/read-server-config.js";
import { DEFAULT_LIMITS } from "../../evidence/artifact-bytes.js";
import { ForgejoReader } from "../../forgejo/reader.js";
import { ForgejoWriter } from "../../forgejo/writer.js";
import { rejectAsOperator, type LookupSource } from "../../queue/operator-actions.js";
import { ProposalStore } from "../../queue/proposal-store.js";
import type { Command, CommandContext } from "../command.js";
import { CheckFailed, ConfigError } from "../errors.js";
import { EXIT } from "../exit-codes.js";
import { actorOf, dataDirOf, dataDirHelp, DATA_DIR_OPTION, openLogForWriting, reasonOf, withLogErrors } from "../operator-options.js";

export const queueReject: Command = {
  name: "queue reject",
  summary: "reject a pending (or approved, unposted) proposal with a reason (nothing is posted)",
  usage: "patchwarden queue reject ID --reason TEXT [--actor LOGIN] [--data-dir DIR]",
  help: `Marks a pending proposal rejected, with the reason and who rejected it, and writes a receipt.
Nothing is posted, and no token is needed.

An approved proposal (its approval stopped, e.g. when Forgejo failed) may have been posted
before the approval stopped, so Forgejo is asked first whether its comment (or status) is there.
If it is, it is recorded as posted and not rejected: its repair lock stays. If it is not, it is
rejected (the receipt says it had been approved) and the repair lock its approval took is
released. Asking needs PATCHWARDEN_FORGEJO_WRITE_TOKEN (as for \`queue approve\`), else the
server's read token PATCHWARDEN_FORGEJO_TOKEN (read access suffices), and
PATCHWARDEN_FORGEJO_URL; the URL and read token may come from the file PATCHWARDEN_CONFIG names.
Without a token, or when Forgejo cannot be asked, nothing changes: approve it again (it asks
first too), or reject it again with a token once Forgejo answers.

  --reason TEXT   why (required, at most 2000 characters; kept in the proposal's history and
                  the receipt)
  --actor LOGIN   who rejects (default $PATCHWARDEN_OPERATOR, else $USER)
${dataDirHelp(18)}

Exit status: 0 rejected, 1 refused (nothing rejected) or queue data missing or damaged, 2 bad
arguments or configuration, or no such proposal.`,
  options: { reason: { type: "string" }, actor: { type: "string" }, ...DATA_DIR_OPTION },
  positionals: { min: 1, max: 1 },
  async run(context) {
    const id = context.positionals[0]!;
    const reason = reasonOf(context, "evidence is from the wrong host");
    const actor = actorOf(context);
    const store = new ProposalStore(await dataDirOf(context, { mustExist: true }));
    await store.require(id);
    const log = await openLogForWriting(context);
    const result = await withLogErrors(() => rejectAsOperator(id, { store, log, now: context.io.now(), actor, reason, forgejo: forgejoOf(context) }));
    if (!result.ok) throw new CheckFailed(result.reason);
    context.io.stdout(`rejected ${id}\n`);
    return EXIT.ok;
  },
};

/**
 * Forgejo for an approved proposal's look-up, read only when there is one: the write token
 * `queue approve` uses, else the server's read token. A pending proposal needs neither, nor a
 * valid server configuration.
 */
function forgejoOf(context: CommandContext): LookupSource {
  return async () => {
    const config = await readServerConfig(context.io.env, context.io.cwd);
    const http = { baseUrl: config.forgejoUrl, timeoutMs: 15_000, maxBytes: DEFAULT_LIMITS.maxBundleBytes, fetch, retryDelayMs: 500 };
    const writeToken = context.io.env["PATCHWARDEN_FORGEJO_WRITE_TOKEN"];
    if (writeToken !== undefined && writeToken !== "") {
      const problem = tokenProblem(writeToken);
      if (problem !== null) throw new ConfigError(`PATCHWARDEN_FORGEJO_WRITE_TOKEN: ${problem}`);
      return new ForgejoWriter({ ...http, token: writeToken });
    }
    if (config.forgejoToken !== undefined) return new ForgejoReader({ ...http, token: config.forgejoToken });
    return "no Forgejo token was given to look with: set PATCHWARDEN_FORGEJO_WRITE_TOKEN, or PATCHWARDEN_FORGEJO_TOKEN (read access suffices)";
  };
}

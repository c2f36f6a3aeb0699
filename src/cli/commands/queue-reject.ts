import { rejectAsOperator } from "../../queue/operator-actions.js";
import { ProposalStore } from "../../queue/proposal-store.js";
import type { Command } from "../command.js";
import { CheckFailed } from "../errors.js";
import { EXIT } from "../exit-codes.js";
import { requiredOption } from "../options.js";
import { actorOf, dataDirOf, DATA_DIR_HELP, DATA_DIR_OPTION, openLogForWriting, withLogErrors } from "../operator-options.js";

export const queueReject: Command = {
  name: "queue reject",
  summary: "reject a pending (or approved, unposted) proposal with a reason (nothing is posted)",
  usage: "patchwarden queue reject ID --reason TEXT [--actor LOGIN] [--data-dir DIR]",
  help: `Marks a pending proposal rejected, with the reason and who rejected it, and writes a receipt.
Nothing is posted. An approved proposal not recorded as posted (its approval stopped, e.g. when
Forgejo failed) can be rejected too: the receipt says it had been approved, and the repair lock its
approval took is released. If that approval got as far as posting, the comment stays on Forgejo.

  --reason TEXT   why (required; kept in the proposal's history and the receipt)
  --actor LOGIN   who rejects (default $PATCHWARDEN_OPERATOR, else $USER)
${DATA_DIR_HELP}`,
  options: { reason: { type: "string" }, actor: { type: "string" }, ...DATA_DIR_OPTION },
  positionals: { min: 1, max: 1 },
  async run(context) {
    const id = context.positionals[0]!;
    const reason = requiredOption(context, "reason", '"evidence is from the wrong host"');
    const actor = actorOf(context);
    const store = new ProposalStore(await dataDirOf(context));
    await store.require(id);
    const log = await openLogForWriting(context);
    const result = await withLogErrors(() => rejectAsOperator(id, { store, log, now: context.io.now(), actor, reason }));
    if (!result.ok) throw new CheckFailed(result.reason);
    context.io.stdout(`rejected ${id}\n`);
    return EXIT.ok;
  },
};

import { ProposalStore } from "../../queue/proposal-store.js";
import { formatIsoTime } from "../../time/iso-time.js";
import type { Command } from "../command.js";
import { CheckFailed } from "../errors.js";
import { EXIT } from "../exit-codes.js";
import { requiredOption } from "../options.js";
import { actorOption, dataDirOption, DATA_DIR_OPTION } from "../queue-options.js";

export const queueReject: Command = {
  name: "queue reject",
  summary: "reject a pending proposal with a reason (nothing is posted)",
  usage: "patchwarden queue reject ID --reason TEXT [--actor LOGIN] [--data-dir DIR]",
  help: `Marks a pending proposal rejected, with the reason and who rejected it. Nothing is posted.

  --reason TEXT   why (required; kept in the proposal's history)
  --actor LOGIN   who rejects (default $PATCHWARDEN_OPERATOR, else the local user)
  --data-dir DIR  the server's data folder (default $PATCHWARDEN_DATA_DIR, else ./data)`,
  options: { reason: { type: "string" }, actor: { type: "string" }, ...DATA_DIR_OPTION },
  positionals: { min: 1, max: 1 },
  async run(context) {
    const id = context.positionals[0]!;
    const reason = requiredOption(context, "reason", '"evidence is from the wrong host"');
    const store = new ProposalStore(dataDirOption(context));
    const before = await store.require(id);
    const rejected = await store.transition(id, ["pending"], "rejected", actorOption(context), formatIsoTime(context.io.now()), reason);
    if (!rejected) {
      const now = await store.require(id);
      throw new CheckFailed(now.state === before.state && now.state === "pending" ? `proposal \`${id}\` is being approved right now; it was not rejected` : `proposal \`${id}\` is ${now.state}; only a pending proposal can be rejected`);
    }
    context.io.stdout(`rejected ${id}\n`);
    return EXIT.ok;
  },
};

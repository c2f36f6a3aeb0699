import { ProposalStore } from "../../queue/proposal-store.js";
import { describeTarget } from "../../queue/proposal-target.js";
import { PROPOSAL_STATES, proposalOutcome, type ProposalState } from "../../queue/proposal.js";
import type { Command } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { choiceOption } from "../options.js";
import { dataDirOf, DATA_DIR_OPTION } from "../operator-options.js";

export const queueList: Command = {
  name: "queue list",
  summary: "list proposals in the dry-run queue, pending first",
  usage: "patchwarden queue list [--state STATE] [--json] [--data-dir DIR]",
  help: `Lists the proposals the server queued, pending first, then newest first.

  --state STATE   only pending, approved, posted, rejected or superseded
  --json          one JSON array of the full proposals
  --data-dir DIR  the server's data folder (default $PATCHWARDEN_DATA_DIR, else ./data)`,
  options: { state: { type: "string" }, json: { type: "boolean" }, ...DATA_DIR_OPTION },
  positionals: { min: 0, max: 0 },
  async run(context) {
    const state = choiceOption<ProposalState | "all">(context, "state", [...PROPOSAL_STATES, "all"], "all");
    const proposals = (await new ProposalStore(dataDirOf(context)).list()).filter((p) => state === "all" || p.state === state);
    if (context.values["json"] === true) {
      context.io.stdout(`${JSON.stringify(proposals, null, 2)}\n`);
      return EXIT.ok;
    }
    if (proposals.length === 0) {
      context.io.stdout(state === "all" ? "the queue is empty\n" : `no ${state} proposals\n`);
      return EXIT.ok;
    }
    const rows = proposals.map((p) => [p.id, p.state, proposalOutcome(p), describeTarget(p.target), p.created_at.slice(0, 19) + "Z", p.origin]);
    const head = ["id", "state", "outcome", "target", "created", "from"];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ");
    context.io.stdout(`${[line(head), ...rows.map(line)].join("\n")}\n`);
    return EXIT.ok;
  },
};

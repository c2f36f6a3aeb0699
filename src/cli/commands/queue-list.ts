import { ProposalStore } from "../../queue/proposal-store.js";
import { describeTarget } from "../../queue/proposal-target.js";
import { PROPOSAL_STATES, proposalOutcome, type Proposal, type ProposalState } from "../../queue/proposal.js";
import type { Command } from "../command.js";
import { CheckFailed } from "../errors.js";
import { EXIT } from "../exit-codes.js";
import { choiceOption } from "../options.js";
import { dataDirOf, DATA_DIR_OPTION } from "../operator-options.js";
import { writeOutUnsafe } from "../../markdown/unsafe-characters.js";

export const queueList: Command = {
  name: "queue list",
  summary: "list proposals in the dry-run queue, pending first",
  usage: "patchwarden queue list [--state STATE] [--json] [--data-dir DIR]",
  help: `Lists the proposals the server queued, pending first, then newest first.

  --state STATE   only pending, approved, posted, rejected or superseded (all: every state)
  --json          one JSON array of the full proposals
  --data-dir DIR  the server's data folder (default $PATCHWARDEN_DATA_DIR, else data_dir in
                  $PATCHWARDEN_CONFIG, else ./data)

A proposal file that cannot be read (cut short, edited by hand) is named on stderr after the
list of the others, and the exit status is then 1. A data folder that is not there is not an
empty queue: it is named, and the exit status is 2.`,
  options: { state: { type: "string" }, json: { type: "boolean" }, ...DATA_DIR_OPTION },
  positionals: { min: 0, max: 0 },
  async run(context) {
    const state = choiceOption<ProposalState | "all">(context, "state", [...PROPOSAL_STATES, "all"], "all");
    // A folder that is not there is not an empty queue: say so rather than "the queue is empty".
    const scan = await new ProposalStore(await dataDirOf(context, { mustExist: true })).scan();
    const proposals = scan.proposals.filter((p) => state === "all" || p.state === state);
    printList(context.io.stdout, proposals, state, context.values["json"] === true, scan.damaged.length > 0);
    // The others are listed first: one damaged file must not hide the queue.
    if (scan.damaged.length > 0) {
      const count = scan.damaged.length === 1 ? "1 proposal file cannot be read" : `${scan.damaged.length} proposal files cannot be read`;
      throw new CheckFailed(`${scan.damaged.map((error) => error.message).join("\npatchwarden: ")}\n${count}; the list above leaves ${scan.damaged.length === 1 ? "it" : "them"} out`);
    }
    return EXIT.ok;
  },
};

function printList(stdout: (text: string) => void, proposals: Proposal[], state: ProposalState | "all", json: boolean, someUnreadable: boolean): void {
  if (json) {
    stdout(`${JSON.stringify(proposals, null, 2)}\n`);
    return;
  }
  if (proposals.length === 0) {
    const none = state === "all" ? (someUnreadable ? "no readable proposals" : "the queue is empty") : `no ${someUnreadable ? "readable " : ""}${state} proposals`;
    stdout(`${none}\n`);
    return;
  }
  const rows = proposals.map((p) => [p.id, p.state, proposalOutcome(p), describeTarget(p.target), p.created_at.slice(0, 19) + "Z", writeOutUnsafe(p.origin)]);
  const head = ["id", "state", "outcome", "target", "created", "from"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ");
  stdout(`${[line(head), ...rows.map(line)].join("\n")}\n`);
}

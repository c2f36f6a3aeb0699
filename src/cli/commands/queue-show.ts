import { ProposalStore } from "../../queue/proposal-store.js";
import { describeTarget } from "../../queue/proposal-target.js";
import { isWhatIf, type WhatIf } from "../../queue/proposal.js";
import { renderText } from "../../verdict/render/text.js";
import type { Command } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { dataDirOf, DATA_DIR_OPTION } from "../operator-options.js";
import { writeOutUnsafe } from "../../markdown/unsafe-characters.js";

export const queueShow: Command = {
  name: "queue show",
  summary: "show one proposal: its verdict, reasons, and exactly what would be posted",
  usage: "patchwarden queue show ID [--json] [--data-dir DIR]",
  help: `Shows a proposal: target, state and history, the verdict with its reasons, and the comment
(or commit status) exactly as it would be posted on approval.

  --json          the proposal as stored
  --data-dir DIR  the server's data folder (default $PATCHWARDEN_DATA_DIR, else data_dir in
                  $PATCHWARDEN_CONFIG, else ./data)`,
  options: { json: { type: "boolean" }, ...DATA_DIR_OPTION },
  positionals: { min: 1, max: 1 },
  async run(context) {
    const proposal = await new ProposalStore(await dataDirOf(context, { mustExist: true })).require(context.positionals[0]!);
    if (context.values["json"] === true) {
      context.io.stdout(`${JSON.stringify(proposal, null, 2)}\n`);
      return EXIT.ok;
    }
    const history = proposal.history.map((e) => `  ${e.at}  ${e.state.padEnd(10)} ${e.actor}${e.reason ? ` — ${writeOutUnsafe(e.reason)}` : ""}`).join("\n");
    const post =
      proposal.post.kind === "comment"
        ? // Line by line: the body's own line breaks stay, while an escape sequence in it is written out, not obeyed by the terminal.
          `comment on ${describeTarget(proposal.target)}:\n\n${proposal.post.body.split("\n").map(writeOutUnsafe).join("\n")}`
        : `commit status on ${describeTarget(proposal.target)}: ${proposal.post.state} [${proposal.post.context}] ${writeOutUnsafe(proposal.post.description)}\n`;
    context.io.stdout(
      `proposal ${proposal.id} — ${proposal.state}\ntarget:   ${describeTarget(proposal.target)}\nevidence: ${writeOutUnsafe(proposal.origin)}\ntrigger:  ${proposal.trigger}${proposal.delivery ? ` (delivery ${writeOutUnsafe(proposal.delivery.id)})` : ""}\n\nhistory:\n${history}\n\n${isWhatIf(proposal) ? describeWhatIf(proposal.what_if) : renderText(proposal.verdict)}\nwould post (on approval) a ${post}`,
    );
    return EXIT.ok;
  },
};

function describeWhatIf(w: WhatIf): string {
  const lines = [`policy what-if: ${writeOutUnsafe(w.path)} at ${writeOutUnsafe(w.ref)}`];
  if (w.policy_digest === null) {
    lines.push("the candidate was not replayed:", ...w.problems.map((problem) => `  ${writeOutUnsafe(problem)}`));
  } else {
    lines.push(
      `policy ${w.policy_digest}`,
      `replayed ${w.replayed} past verdicts (receipts 1–${w.through_seq}): ${w.loosened} looser, ${w.tightened} stricter, ${w.not_replayed} not replayed`,
      w.looser_settings === undefined ? "settings: not compared with the running policy (proposed before they were)" : `settings: ${w.looser_settings} looser than the running policy`,
    );
  }
  return `${lines.join("\n")}\n`;
}

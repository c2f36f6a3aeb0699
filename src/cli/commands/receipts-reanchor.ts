import { ReceiptLog } from "../../receipts/receipt-log.js";
import type { Command } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { actorOf, DATA_DIR_HELP, DATA_DIR_OPTION, dataDirOf, reasonOf, signerOf, withLogErrors } from "../operator-options.js";

export const receiptsReanchor: Command = {
  name: "receipts reanchor",
  summary: "accept the log as it is and move its head to the end (an operator action, with a receipt)",
  usage: "patchwarden receipts reanchor --reason TEXT [--actor LOGIN] [--data-dir DIR]",
  help: `For a log whose head (receipts.head) was lost or no longer matches, after an operator has
examined it: appends a \`log.reanchored\` receipt recording the old head and the reason, and
moves the head to it. A final line that is not a whole receipt (a log cut mid-receipt) is set
aside in receipts/torn-*.jsonl, never deleted, and the receipt's reason says so. Refused when the
chain itself is broken (\`patchwarden receipts verify\` names where): that is tampering to
investigate, not an anchor to move. Also the way to start signing a log written without a key, or
to move to a new key: run it with $PATCHWARDEN_RECEIPT_KEY set to the key to sign with (else it
signs with receipt_key in $PATCHWARDEN_CONFIG, when that names one).

  --reason TEXT    why the log is accepted as it is (recorded)
  --actor LOGIN    the operator (default: $PATCHWARDEN_OPERATOR, else $USER)
${DATA_DIR_HELP}`,
  options: { ...DATA_DIR_OPTION, reason: { type: "string" }, actor: { type: "string" } },
  positionals: { min: 0, max: 0 },
  async run(context) {
    const reason = reasonOf(context, "restored receipts.jsonl from the 2026-11-20 backup");
    const actor = actorOf(context);
    const signer = await signerOf(context);
    // Not ReceiptLog.open: it refuses the very log this command is for.
    // A folder that is not there has no log to accept: a mistyped path must not become a new one.
    const log = ReceiptLog.at(await dataDirOf(context, { mustExist: true }), {
      clock: context.io.now,
      onRepair: (report) => context.io.stderr(`patchwarden: ${report.message}\n`),
      ...(signer === undefined ? {} : { signer }),
    });
    const receipt = await withLogErrors(() => log.reanchor(actor, reason));
    context.io.stdout(`${log.paths.log}: re-anchored at receipt ${receipt.seq} (the head was ${receipt.kind === "log.reanchored" && receipt.previous_head_seq !== null ? `at receipt ${receipt.previous_head_seq}` : "missing or unreadable"})\n`);
    return EXIT.ok;
  },
};

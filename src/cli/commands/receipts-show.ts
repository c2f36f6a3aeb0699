import { quote } from "../../diagnostics/diagnostic.js";
import { receiptPaths } from "../../receipts/data-dir.js";
import { findReceipt } from "../../receipts/read-receipts.js";
import type { Command } from "../command.js";
import { CheckFailed, UsageError } from "../errors.js";
import { EXIT } from "../exit-codes.js";
import { DATA_DIR_HELP, DATA_DIR_OPTION, dataDirOf } from "../operator-options.js";
import { renderReceipt } from "./receipts-format.js";

export const receiptsShow: Command = {
  name: "receipts show",
  summary: "print one receipt by its sequence number",
  usage: "patchwarden receipts show SEQ [--data-dir DIR] [--json]",
  help: `Prints receipt SEQ, one field per line, after checking its hash.

  SEQ              the receipt's sequence number (1 is the first)
${DATA_DIR_HELP}
  --json           print the line exactly as it is stored

Exit status: 0 printed, 1 no such receipt, or its hash does not match (it was changed), 2 bad
usage or a data folder that is not there.`,
  options: { ...DATA_DIR_OPTION, json: { type: "boolean" } },
  positionals: { min: 1, max: 1 },
  async run(context) {
    const given = context.positionals[0]!;
    if (!/^[1-9]\d{0,14}$/.test(given)) throw new UsageError(`${quote(given)} is not a receipt number; give a whole number from 1, e.g. \`patchwarden receipts show 42\``);
    const seq = Number(given);
    const log = receiptPaths(await dataDirOf(context, { mustExist: true })).log;
    const read = await findReceipt(log, seq);
    if (read === null) throw new CheckFailed(`${log}: no receipt ${seq}; \`patchwarden receipts tail\` shows the latest`);
    if (context.values["json"] === true) context.io.stdout(`${read.raw}\n`);
    else if (read.ok) context.io.stdout(`${renderReceipt(read.receipt)}\n`);
    if (!read.ok) {
      if (context.values["json"] !== true) context.io.stdout(`${read.raw}\n`);
      throw new CheckFailed(`${log} line ${read.line ?? "?"}: receipt ${seq} ${read.problem}`);
    }
    return EXIT.ok;
  },
};

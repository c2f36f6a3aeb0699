import { receiptPaths } from "../../receipts/data-dir.js";
import { lastReceipts } from "../../receipts/read-receipts.js";
import type { Command } from "../command.js";
import { CheckFailed, UsageError } from "../errors.js";
import { EXIT } from "../exit-codes.js";
import { stringOption } from "../options.js";
import { DATA_DIR_HELP, DATA_DIR_OPTION, dataDirOf } from "../operator-options.js";
import { summarizeRead } from "./receipts-format.js";

export const receiptsTail: Command = {
  name: "receipts tail",
  summary: "print the latest receipts, one per line",
  usage: "patchwarden receipts tail [-n N] [--data-dir DIR] [--json]",
  help: `Prints the last N receipts (default 10), oldest first, one line each; each line's hash is
checked as it is read.

  -n, --lines N    how many (1–10000)
${DATA_DIR_HELP}
  --json           print the lines exactly as they are stored (JSON Lines)

Exit status: 0, or 1 when a printed receipt's hash does not match (run \`patchwarden receipts verify\`).`,
  options: { ...DATA_DIR_OPTION, lines: { type: "string", short: "n" }, json: { type: "boolean" } },
  positionals: { min: 0, max: 0 },
  async run(context) {
    const given = stringOption(context, "lines") ?? "10";
    if (!/^\d+$/.test(given) || Number(given) < 1 || Number(given) > 10_000) throw new UsageError(`-n: \`${given}\` is not a count from 1 to 10000`);
    const log = receiptPaths(dataDirOf(context)).log;
    const reads = await lastReceipts(log, Number(given));
    const json = context.values["json"] === true;
    context.io.stdout(reads.map((read) => `${json ? read.raw : summarizeRead(read)}\n`).join(""));
    const bad = reads.filter((read) => !read.ok).length;
    if (bad > 0) throw new CheckFailed(`${log}: ${bad} of the last ${reads.length} lines are not intact receipts; run \`patchwarden receipts verify\``);
    return EXIT.ok;
  },
};

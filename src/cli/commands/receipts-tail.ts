import { quote } from "../../diagnostics/diagnostic.js";
import { receiptPaths } from "../../receipts/data-dir.js";
import { headDisagreement, readAnchor, type Anchor } from "../../receipts/head-agreement.js";
import { readSeq } from "../../receipts/line-facts.js";
import { findReceipt, lastReceipts, type LogTail } from "../../receipts/read-receipts.js";
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

Exit status: 0, or 1 when a printed receipt's hash does not match (run \`patchwarden receipts verify\`),
or the log does not reach what receipts.head records (removed, or cut short), or the head is missing
or unreadable while the log holds receipts; 2 when the data folder is not there.`,
  options: { ...DATA_DIR_OPTION, lines: { type: "string", short: "n" }, json: { type: "boolean" } },
  positionals: { min: 0, max: 0 },
  async run(context) {
    const given = stringOption(context, "lines") ?? "10";
    if (!/^\d+$/.test(given) || Number(given) < 1 || Number(given) > 10_000) throw new UsageError(`-n: ${quote(given)} is not a count from 1 to 10000`);
    const paths = receiptPaths(await dataDirOf(context, { mustExist: true }));
    // The head before the log, as `receipts verify` reads them (see head-agreement.ts).
    const anchor = await readAnchor(paths.head);
    const tail = await lastReceipts(paths.log, Number(given));
    const json = context.values["json"] === true;
    context.io.stdout(tail.reads.map((read) => `${json ? read.raw : summarizeRead(read)}\n`).join(""));
    const bad = tail.reads.filter((read) => !read.ok).length;
    if (bad > 0) throw new CheckFailed(`${paths.log}: ${bad} of the last ${tail.reads.length} lines are not intact receipts; run \`patchwarden receipts verify\``);
    // The last lines alone cannot show receipts removed from the end, or a log removed: the head can.
    const problem = anchor.ok ? await headDisagreement(paths, anchor.head, await reachOf(paths.log, tail, anchor.head)) : anchor.problem;
    if (problem !== null) throw new CheckFailed(problem);
    return EXIT.ok;
  },
};

/** How far the log reaches, from its last lines; the head's receipt is looked up when it is further back (the head lags an append). */
async function reachOf(log: string, tail: LogTail, head: Anchor | null) {
  const seqs = tail.reads.map((read) => (read.ok ? read.receipt.seq : readSeq(Buffer.from(read.raw), 0, Buffer.byteLength(read.raw))));
  const lastSeq = seqs.findLast((seq): seq is number => seq !== null) ?? 0;
  let hashAtHead: string | null = null;
  if (head !== null && head.seq > 0 && head.seq <= lastSeq) {
    const read = tail.reads.find((_, i) => seqs[i] === head.seq) ?? (await findReceipt(log, head.seq));
    hashAtHead = read?.ok === true ? read.receipt.hash : null;
  }
  return { lastSeq, hashAtHead, badFinal: null, tailBytes: tail.tailBytes };
}

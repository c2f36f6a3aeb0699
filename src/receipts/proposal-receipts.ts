import { basename, dirname, join } from "node:path";
import { ChainVerifier } from "./chain-verifier.js";
import { readHead } from "./head-file.js";
import { scanLines } from "./line-reader.js";
import { decodeReceiptLine, type ReadReceipt } from "./read-receipts.js";
import { ReceiptLogDamagedError } from "./receipt-log.js";
import type { Receipt } from "./receipt-schema.js";

/**
 * The receipts about one proposal, oldest first. One pass over the log, used where a step must not
 * be recorded twice (an approval retried after a crash) and where the log decides (a rejection
 * recorded, the post a proposal was proposed with), so the log is read as `receipts verify` reads it:
 * every line's hash and link, and its end against `receipts.head` (`headPath`; by default the one
 * beside the log). A damaged line is never skipped: it may be the very receipt asked for, so a log
 * that is not as written throws ReceiptLogDamagedError. A torn final line the head does not cover
 * is no receipt yet. Each line is searched for the proposal on its own bytes only.
 */
export async function receiptsOfProposal(logPath: string, proposalId: string, headPath: string = join(dirname(logPath), "receipts.head")): Promise<Receipt[]> {
  const headRead = await readHead(headPath);
  if (!headRead.ok) throw new ReceiptLogDamagedError(headPath, headRead.problem);
  const head = headRead.head;
  const verifier = new ChainVerifier({ head: head === null ? null : { seq: head.seq, hash: head.hash }, requireHead: true, headLabel: basename(headPath) });
  const needle = Buffer.from(`"proposal_id":${JSON.stringify(proposalId)}`);
  const hits: { read: ReadReceipt; line: number }[] = [];
  const scan = await scanLines(logPath, (buf, start, end, offset, number) => {
    if (!verifier.line(buf, start, end, number)) return false;
    // A view of the line: Buffer#indexOf has no end bound, and must not search on into the next lines.
    if (buf.subarray(start, end).indexOf(needle) !== -1) hits.push({ read: decodeReceiptLine(buf, start, end, number, offset), line: number });
    return true;
  });
  if (scan.missing && head === null) return [];
  const report = verifier.finish(scan.stopped ? null : scan.tail);
  if (report.problem !== null) {
    const { line, message } = report.problem;
    throw new ReceiptLogDamagedError(logPath, `${line === null ? "" : `line ${line}: `}${message}`);
  }
  const found: Receipt[] = [];
  for (const { read, line } of hits) {
    // The torn final line of an append cut off (or under way) is not a receipt yet.
    if (report.tornTail !== null && report.tornTail.line === line) continue;
    if (!read.ok) throw new ReceiptLogDamagedError(logPath, `line ${line}: ${read.problem}`);
    if (read.receipt.proposal_id === proposalId) found.push(read.receipt);
  }
  return found;
}

import { scanLines } from "./line-reader.js";
import { decodeReceiptLine } from "./read-receipts.js";
import type { Receipt } from "./receipt-schema.js";

/**
 * The receipts about one proposal, oldest first. A scan of the log, filtered on the raw bytes
 * before anything is decoded; used where a step must not be recorded twice (an approval retried
 * after a crash), which is rare enough that a scan is the simple, correct answer.
 */
export async function receiptsOfProposal(logPath: string, proposalId: string): Promise<Receipt[]> {
  const needle = Buffer.from(`"proposal_id":${JSON.stringify(proposalId)}`);
  const found: Receipt[] = [];
  try {
    await scanLines(logPath, (buf, start, end, offset, number) => {
      const at = buf.indexOf(needle, start);
      if (at === -1 || at >= end) return true;
      const read = decodeReceiptLine(buf, start, end, number, offset);
      if (read.ok && read.receipt.proposal_id === proposalId) found.push(read.receipt);
      return true;
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return found;
}

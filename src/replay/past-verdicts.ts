import { kindStartsWith, readSeq } from "../receipts/line-facts.js";
import { scanLines } from "../receipts/line-reader.js";
import { decodeReceiptLine } from "../receipts/read-receipts.js";
import type { ReceiptOf } from "../receipts/receipt-schema.js";
import { parseIsoTime } from "../time/iso-time.js";

export type PastVerdict = ReceiptOf<"verdict">;

export interface PastVerdicts {
  /** Verdict receipts at or after `since`, oldest first. */
  verdicts: PastVerdict[];
  /** The last receipt read: what the replay covers. */
  throughSeq: number;
}

/** A verdict receipt that cannot be read as written: the replay would be incomplete, so it stops. */
export class ReplayLogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReplayLogError";
  }
}

const VERDICT_KIND = Buffer.from('verdict"');

/**
 * The verdict receipts of the log, each hash-checked and validated as it is read; other kinds are
 * skipped on their raw bytes. A damaged verdict receipt ends the read with its line named (the
 * operator runs `receipts verify`); a torn last line (a crash mid-append) is not a receipt yet.
 *
 * @param since epoch ms; receipts recorded before it are skipped
 * @param upTo the last receipt to read (a what-if replayed again reads what it read the first time)
 */
export async function readPastVerdicts(logPath: string, since: number | null, upTo: number | null = null): Promise<PastVerdicts> {
  const verdicts: PastVerdict[] = [];
  let throughSeq = 0;
  let problem = null as string | null;
  await scanLines(logPath, (buf, start, end, offset, number) => {
    const seq = readSeq(buf, start, end) ?? 0;
    if (upTo !== null && seq > upTo) return false;
    throughSeq = Math.max(throughSeq, seq);
    if (!kindStartsWith(buf, start, end, VERDICT_KIND)) return true;
    const read = decodeReceiptLine(buf, start, end, number, offset);
    if (!read.ok) {
      problem = `${logPath} line ${number}: ${read.problem}`;
      return false;
    }
    if (read.receipt.kind !== "verdict") return true;
    if (since !== null && (parseIsoTime(read.receipt.time) ?? 0) < since) return true;
    verdicts.push(read.receipt);
    return true;
  });
  if (problem !== null) throw new ReplayLogError(`${problem}; the replay would miss verdicts, so it stops here`);
  return { verdicts, throughSeq };
}

import { formatDiagnostic } from "../diagnostics/diagnostic.js";
import { validateWith } from "../diagnostics/zod-diagnostics.js";
import type { ReceiptPaths } from "../receipts/data-dir.js";
import { headDisagreement, readAnchor } from "../receipts/head-agreement.js";
import { checkLine, kindStartsWith } from "../receipts/line-facts.js";
import { scanLines } from "../receipts/line-reader.js";
import { GENESIS_HASH, receiptSchema, type ReceiptOf } from "../receipts/receipt-schema.js";
import { parseIsoTime } from "../time/iso-time.js";

export type PastVerdict = ReceiptOf<"verdict">;

export interface PastVerdicts {
  /** Verdict receipts at or after `since`, oldest first. */
  verdicts: PastVerdict[];
  /** The last receipt read: what the replay covers. */
  throughSeq: number;
  /**
   * False when the folder has neither `receipts.jsonl` nor `receipts.head`: never used, or not the
   * data folder at all (the mount point of a volume that is not mounted). Nothing was read.
   */
  logFound: boolean;
}

/** The log cannot be read as written: the replay would be incomplete, so it stops. */
export class ReplayLogError extends Error {
  constructor(message: string) {
    super(`${message}; the replay would miss verdicts, so it stops here`);
    this.name = "ReplayLogError";
  }
}

const VERDICT_KIND = Buffer.from('verdict"');
const VERIFY = "run `patchwarden receipts verify`";

/**
 * The verdict receipts of the log. Every line is hash-checked and chained to the one before, whatever
 * its kind (a kind is only known once its bytes are), and the end is checked against `receipts.head`,
 * so a damaged or cut-off verdict stops the read rather than go missing from it. Only verdicts are
 * parsed and validated. A bad final line the head does not cover is a torn append, not a receipt yet.
 *
 * @param since epoch ms; receipts recorded before it are skipped
 * @param upTo the last receipt to replay (a what-if replayed again reads what it read the first
 *   time); the chain is still followed to the end, to check it against the head
 */
export async function readPastVerdicts(paths: Pick<ReceiptPaths, "log" | "head">, since: number | null, upTo: number | null = null): Promise<PastVerdicts> {
  const log = paths.log;
  // The head before the log, as `receipts verify` reads them (see head-agreement.ts).
  const anchor = await readAnchor(paths.head);
  if (!anchor.ok) throw new ReplayLogError(`${anchor.problem}; ${VERIFY}`);
  const head = anchor.head;
  const verdicts: PastVerdict[] = [];
  let lastSeq = 0;
  let lastHash = GENESIS_HASH;
  let hashAtHead = null as string | null;
  let pending = null as { problem: string; bytes: number } | null;
  const scan = await scanLines(log, (buf, start, end, _offset, number) => {
    if (pending !== null) throw new ReplayLogError(`${pending.problem}; a receipt follows it, so receipt ${lastSeq + 1} was changed after it was written; ${VERIFY}`);
    const check = checkLine(buf, start, end);
    if (!check.ok) {
      pending = { problem: `${log} line ${number}: ${check.detail}`, bytes: end - start };
      return true;
    }
    const { seq, prev, hash } = check.facts;
    if (seq !== lastSeq + 1 || prev !== lastHash) throw new ReplayLogError(`${log} line ${number}: receipt ${seq} does not follow receipt ${lastSeq}; the chain is broken; ${VERIFY}`);
    if (head !== null && seq === head.seq) hashAtHead = hash;
    lastSeq = seq;
    lastHash = hash;
    if ((upTo !== null && seq > upTo) || !kindStartsWith(buf, start, end, VERDICT_KIND)) return true;
    const receipt = verdictOf(buf.toString("utf8", start, end));
    if (typeof receipt === "string") throw new ReplayLogError(`${log} line ${number}: receipt ${seq} ${receipt}; ${VERIFY}`);
    if (since === null || (parseIsoTime(receipt.time) ?? 0) >= since) verdicts.push(receipt);
    return true;
  });
  const problem = await headDisagreement(paths, head, { lastSeq, hashAtHead, badFinal: pending, tailBytes: scan.tail?.bytes ?? 0 });
  if (problem !== null) throw new ReplayLogError(`${problem}; ${VERIFY}`);
  return { verdicts, throughSeq: upTo === null ? lastSeq : Math.min(upTo, lastSeq), logFound: head !== null || !scan.missing };
}

/** A verdict receipt whose hash was checked: validated against the contract (its writer did too), or why not. */
function verdictOf(text: string): PastVerdict | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return "is not JSON";
  }
  const result = validateWith(receiptSchema, value, "receipt");
  if (!result.ok) return `does not follow the receipt contract: ${result.diagnostics.map(formatDiagnostic).join("; ")}`;
  return result.value.kind === "verdict" ? result.value : "is not the verdict its kind says it is";
}

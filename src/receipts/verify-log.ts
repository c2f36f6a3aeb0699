import type { KeyObject } from "node:crypto";
import { basename } from "node:path";
import { ChainVerifier, type VerifyReport } from "./chain-verifier.js";
import { checkHeadSignature, readHead } from "./head-file.js";
import { scanLines } from "./line-reader.js";

export interface VerifyLogOptions {
  log: string;
  /** The anchor (`receipts.head`, or an exported checkpoint); null when there is none to check against. */
  head: string | null;
  /** Whether a missing head file is a problem: yes for a data folder, no for a bare export. */
  requireHead: boolean;
  /** The head is a checkpoint no append updates (`--log` with an export's head or a kept copy), not a data folder's own. */
  headIsCheckpoint?: boolean;
  /**
   * Whether a missing log file is a problem: yes for a file named by hand (a typo must not read as an
   * empty, intact log). A data folder's log may be missing while its head says it is empty (seq 0),
   * but not both: that is no receipt log at all.
   */
  requireLog?: boolean;
  keys?: ReadonlyMap<string, KeyObject>;
  /** Accept a log that starts after receipt 1 (an export with --since); without it, receipt 1 must be there. */
  partial?: boolean;
  /** `head`: with keys, check the head's signature and only the receipts after it (see VerifierOptions). */
  signatures?: "every" | "head";
}

/**
 * Verifies a receipt log file against its anchor. Read-only: it takes no lock and repairs nothing,
 * so it runs beside a live server, on an export, and on read-only media. The head is read before
 * the log: an append landing in between then makes the head look behind (fine), never ahead.
 */
export async function verifyReceiptLog(options: VerifyLogOptions): Promise<VerifyReport> {
  const headLabel = options.head === null ? "the head" : basename(options.head);
  const headRead = options.head === null ? { ok: true as const, head: null } : await readHead(options.head);
  if (!headRead.ok) {
    return failed({ kind: "head_invalid", seq: null, line: null, message: `${headLabel} ${headRead.problem}` });
  }
  const head = headRead.head;
  const keys = options.keys;
  if (head !== null && keys !== undefined && keys.size > 0) {
    const signature = checkHeadSignature(head, keys);
    if (signature !== "valid") {
      const why = {
        unsigned: "is not signed, but a public key was given; it was written without the operator's key, or replaced",
        unknown_key: `is signed by ${head.key_id ?? "?"}, which is none of the public keys given`,
        invalid: "has a signature that does not verify; it was changed after it was signed",
      }[signature];
      return failed({ kind: signature === "unknown_key" ? "unknown_key" : signature === "unsigned" ? "unsigned" : "bad_signature", seq: null, line: null, message: `${headLabel} ${why}` });
    }
  }
  const verifier = new ChainVerifier({
    head: head === null ? null : { seq: head.seq, hash: head.hash },
    requireHead: options.requireHead,
    headLabel,
    ...(options.headIsCheckpoint === undefined ? {} : { headIsCheckpoint: options.headIsCheckpoint }),
    ...(keys === undefined ? {} : { keys }),
    ...(options.partial === undefined ? {} : { partial: options.partial }),
    ...(options.signatures === undefined ? {} : { signatures: options.signatures }),
  });
  const scan = await scanLines(options.log, (buf, start, end, _offset, number) => verifier.line(buf, start, end, number));
  if (scan.missing && options.requireLog === true) {
    return failed({ kind: "log_missing", seq: null, line: null, message: "no such file; check the path" });
  }
  if (scan.missing && options.requireHead && head === null) {
    return failed({ kind: "log_missing", seq: null, line: null, message: `no receipt log here, and no ${headLabel}; check the data folder, or restore both from a backup` });
  }
  return verifier.finish(scan.stopped ? null : scan.tail);
}

function failed(problem: NonNullable<VerifyReport["problem"]>): VerifyReport {
  return { ok: false, receipts: 0, firstSeq: null, lastSeq: null, lastHash: "", signed: 0, head: null, problem, tornTail: null, notices: [] };
}

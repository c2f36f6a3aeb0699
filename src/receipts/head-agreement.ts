import { basename } from "node:path";
import { pathExists } from "../fsutil/path-exists.js";
import type { ReceiptPaths } from "./data-dir.js";
import { checkHeadSignedBy, readHead, type HeadSignature } from "./head-file.js";
import { notATornWrite } from "./log-tail.js";
import type { ReceiptSigner } from "./seal.js";

/**
 * The end-of-log checks of `receipts verify`, for readers that act on what they read (lock state,
 * replay): a log cut short reads as a shorter log that is intact, so only `receipts.head` shows that
 * receipts (a lock, a verdict) are missing. Readers read the head first, then follow the chain in
 * one pass, noting what this check needs on the way; an append landing in between then makes the
 * head look behind (fine), never ahead.
 */

/** The head's seq and hash (and the key that signed it, for a signed log); null when there is no head file. */
export interface Anchor {
  seq: number;
  hash: string;
  keyId?: string;
}

/** `signature`: with a signer, how the head file stands against that key (checkHeadSignedBy). */
export type AnchorRead = { ok: true; head: Anchor | null; signature?: HeadSignature } | { ok: false; problem: string };

/** A head file that is there but unreadable is a problem, never "no head". */
export async function readAnchor(headPath: string, signer?: ReceiptSigner): Promise<AnchorRead> {
  const read = await readHead(headPath);
  if (!read.ok) return { ok: false, problem: `${headPath}: ${read.problem}` };
  if (read.head === null) return { ok: true, head: null };
  const { seq, hash, key_id: keyId } = read.head;
  const head = keyId === undefined ? { seq, hash } : { seq, hash, keyId };
  return signer === undefined ? { ok: true, head } : { ok: true, head, signature: checkHeadSignedBy(read.head, signer) };
}

/** What a reader's pass over the log found at its end. */
export interface ChainReach {
  /** The last whole receipt the chain was followed to (0: none). */
  lastSeq: number;
  /** The hash the log holds for receipt `head.seq`, when the pass reached it; null otherwise. */
  hashAtHead: string | null;
  /**
   * A bad final line, let pass as a torn append if nothing shows otherwise: where it is and what is
   * wrong (e.g. `… line 7: the receipt after 6 has no hash seal`), and its length without the newline.
   */
  badFinal: { problem: string; bytes: number } | null;
  /** Bytes after the last newline: an append cut off, or still being written. */
  tailBytes: number;
}

/** What is wrong with the log's end given its head, path first; null when they agree. */
export async function headDisagreement(paths: Pick<ReceiptPaths, "log" | "head">, head: Anchor | null, reach: ChainReach): Promise<string | null> {
  const { log } = paths;
  const label = basename(paths.head);
  const next = reach.lastSeq + 1;
  if (reach.badFinal !== null) {
    // Bytes after the bad line show it was not the last write; a head covering it shows it was whole
    // once; a line longer than any receipt is no torn write (the bound opening the log applies).
    const { problem, bytes } = reach.badFinal;
    if (reach.tailBytes > 0) return `${problem}; more follows it, so receipt ${next} was changed after it was written`;
    if (head !== null && head.seq >= next) return `${problem}; ${label} records receipt ${head.seq}, so receipt ${next} was whole once and was changed or cut after it was written`;
    const tooLong = notATornWrite(bytes);
    if (tooLong !== null) return `${problem}; ${tooLong}`;
  } else if (head === null || head.seq < next) {
    const tooLong = notATornWrite(reach.tailBytes);
    if (tooLong !== null) return `${log}: ${tooLong}`;
  }
  if (head === null) {
    // No log and no head: a folder never used, as far as this pass can tell. A process that has seen
    // receipts there knows better and checks that itself (seen-tip.ts).
    if (reach.lastSeq === 0) return null;
    return `${paths.head}: missing while the log holds ${reach.lastSeq} receipt(s), so receipts removed from the end could not be noticed; restore it from a backup, or re-anchor the log after checking it (\`patchwarden receipts reanchor --reason TEXT\`)`;
  }
  if (reach.tailBytes > 0 && reach.badFinal === null && head.seq >= next) {
    return `${log}: receipt ${next} is cut off after ${reach.tailBytes} bytes, but ${label} records receipt ${head.seq}; the log was cut short after it was written`;
  }
  if (head.seq > reach.lastSeq) {
    if (reach.lastSeq === 0 && !(await pathExists(log))) return `${log}: missing, but ${label} records receipt ${head.seq}; the log was removed`;
    const gone = next === head.seq ? `receipt ${next} was` : `receipts ${next}–${head.seq} were`;
    return `${log}: ends at receipt ${reach.lastSeq}, but ${label} records receipt ${head.seq}; ${gone} removed from the end`;
  }
  if (head.seq > 0 && reach.hashAtHead !== head.hash) {
    // null: the pass did not keep that hash (a caller's slip); unchecked is not agreed.
    if (reach.hashAtHead === null) return `${log}: receipt ${head.seq} was not checked against the hash ${label} records for it; run \`patchwarden receipts verify\``;
    return `${log}: receipt ${head.seq} hashes to ${reach.hashAtHead}, but ${label} records ${head.hash} for it; the receipt was changed and re-hashed, or ${label} was changed`;
  }
  return null;
}


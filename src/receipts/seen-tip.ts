import { open, type FileHandle } from "node:fs/promises";
import type { ReceiptPaths } from "./data-dir.js";
import { checkLine } from "./line-facts.js";
import { readFully } from "./log-tail.js";
import { MAX_RECEIPT_BYTES } from "./receipt-schema.js";

/**
 * The last receipt a long-lived process read or wrote. An append-only log keeps it where it was for
 * good, so a log that no longer holds it was removed, cut or replaced, even when what is there now
 * agrees with its head: a log deleted with its head and started again is such a log, and it would
 * otherwise read as "no receipts, no locks" and verify as intact.
 */
export interface SeenTip {
  seq: number;
  hash: string;
  /** Byte offset just past that receipt's newline. */
  end: number;
}

// Most receipts are well under this; a longer one takes a second read.
const FIRST_WINDOW = 4 * 1024;

/** Whether the receipt ending at `seen.end` is still receipt `seen.seq` with hash `seen.hash`. */
export async function stillHolds(log: string | FileHandle, seen: SeenTip): Promise<boolean> {
  if (typeof log !== "string") return holdsIn(log, seen);
  let handle;
  try {
    handle = await open(log, "r");
  } catch {
    return false;
  }
  try {
    return await holdsIn(handle, seen);
  } finally {
    await handle.close();
  }
}

async function holdsIn(handle: FileHandle, seen: SeenTip): Promise<boolean> {
  if (seen.end <= 0 || (await handle.stat()).size < seen.end) return false;
  let window = Math.min(seen.end, FIRST_WINDOW);
  for (;;) {
    const buf = Buffer.allocUnsafe(window);
    await readFully(handle, buf, seen.end - window);
    if (buf[window - 1] !== 0x0a) return false;
    const start = buf.lastIndexOf(0x0a, window - 2) + 1;
    if (start > 0 || window === seen.end) {
      const check = checkLine(buf, start, window - 1);
      return check.ok && check.facts.seq === seen.seq && check.facts.hash === seen.hash;
    }
    // No line start in the window: longer than any receipt, or read again with room for one.
    if (window > MAX_RECEIPT_BYTES) return false;
    window = Math.min(seen.end, MAX_RECEIPT_BYTES + 1);
  }
}

/**
 * Why a log that no longer holds `seen` is refused: the path and what happened. `there`: which of
 * the two files are there now. A process that has seen receipts never takes a missing log for a
 * folder never used.
 */
export function lostSinceSeen(paths: Pick<ReceiptPaths, "dir" | "log">, seen: SeenTip, there: { log: boolean; head: boolean }): { path: string; detail: string } {
  const reanchor = "(`patchwarden receipts reanchor --reason TEXT`), then restart this process";
  if (!there.log && !there.head) {
    return {
      path: paths.dir,
      detail: `receipts.jsonl and receipts.head are both gone, but this process has seen receipts 1–${seen.seq} there; the receipt log was removed, and a folder that held receipts is not a new one: restore both from a backup, or have an operator accept the loss ${reanchor}`,
    };
  }
  return {
    path: paths.log,
    detail: `no longer holds receipt ${seen.seq} (${seen.hash}) where this process saw it; the log was cut, or removed and started again, since: restore it from a backup, or have an operator check it and accept it ${reanchor}`,
  };
}

import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import type { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { formatDiagnostic } from "../diagnostics/diagnostic.js";
import { validateWith } from "../diagnostics/zod-diagnostics.js";
import { parseIsoTime } from "../time/iso-time.js";
import { checkLine, readSeq } from "./line-facts.js";
import { scanLines, withPath } from "./line-reader.js";
import { readFully } from "./log-tail.js";
import { receiptSchema, type Receipt } from "./receipt-schema.js";

/** One line read back: the receipt (hash checked, schema validated) or why it is not one. */
export type ReadReceipt =
  | { ok: true; receipt: Receipt; raw: string; line: number | null; offset: number }
  | { ok: false; problem: string; raw: string; line: number | null; offset: number };

/** Checks the hash on the bytes, then parses and validates: a reader never shows a receipt as if intact when it is not. */
export function decodeReceiptLine(buf: Buffer, start: number, end: number, line: number | null, offset: number): ReadReceipt {
  const raw = buf.toString("utf8", start, end);
  const check = checkLine(buf, start, end);
  if (!check.ok) return { ok: false, problem: `${check.detail}; run \`patchwarden receipts verify\``, raw, line, offset };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, problem: "is not JSON", raw, line, offset };
  }
  const result = validateWith(receiptSchema, value, "receipt");
  if (!result.ok) return { ok: false, problem: `does not follow the receipt contract: ${result.diagnostics.map(formatDiagnostic).join("; ")}`, raw, line, offset };
  return { ok: true, receipt: result.value, raw, line, offset };
}

/** The line holding receipt `seq`, found by its `seq` field (lines are in seq order, but a damaged log may not be). */
export async function findReceipt(log: string, seq: number): Promise<ReadReceipt | null> {
  let found: ReadReceipt | null = null;
  await scanLines(log, (buf, start, end, offset, number) => {
    if (readSeq(buf, start, end) !== seq) return true;
    found = decodeReceiptLine(buf, start, end, number, offset);
    return false;
  });
  return found;
}

const BACKWARD_CHUNK = 64 * 1024;

/** The last lines of a log, and the bytes after its last newline (an append cut off, or under way). */
export interface LogTail {
  reads: ReadReceipt[];
  tailBytes: number;
}

/** The last `count` whole lines, read backwards from the end; an unfinished final line is left out. */
export async function lastReceipts(log: string, count: number): Promise<LogTail> {
  let handle;
  try {
    handle = await open(log, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { reads: [], tailBytes: 0 };
    throw error;
  }
  try {
    const size = (await handle.stat()).size;
    let from = size;
    let buf = Buffer.alloc(0);
    const newlines = () => buf.reduce((n, byte) => (byte === 0x0a ? n + 1 : n), 0);
    // count lines need count newlines after the first one's start: count + 1, or the file's start.
    while (from > 0 && newlines() <= count) {
      const length = Math.min(BACKWARD_CHUNK, from);
      const chunk = Buffer.allocUnsafe(length);
      from -= length;
      await readFully(handle, chunk, from).catch((error: unknown) => {
        throw withPath(error, log);
      });
      buf = Buffer.concat([chunk, buf]);
    }
    const lastNewline = buf.lastIndexOf(0x0a);
    if (lastNewline === -1) return { reads: [], tailBytes: size };
    const out: ReadReceipt[] = [];
    let end = lastNewline;
    while (out.length < count && end >= 0) {
      const previous = end === 0 ? -1 : buf.lastIndexOf(0x0a, end - 1);
      if (previous === -1 && from > 0) break; // the line starts before what was read: not needed
      out.push(decodeReceiptLine(buf, previous + 1, end, null, from + previous + 1));
      end = previous;
    }
    return { reads: out.reverse(), tailBytes: size - (from + lastNewline + 1) };
  } finally {
    await handle.close();
  }
}


const TIME = Buffer.from(',"time":"');

/** What an export found at the log's end, for checking it against receipts.head (see head-agreement.ts). */
export interface ExportReach {
  /** The seq of the last whole line (0: none), read from the line, whether or not it is before `since`. */
  lastSeq: number;
  /** The hash sealed on the line of receipt `headSeq`, when there is one and it is intact. */
  hashAtHead: string | null;
  tailBytes: number;
}

/**
 * Copies the log's whole lines, from the first receipt at or after `since` (epoch ms), byte for
 * byte, so the copy verifies (with `--partial` when it does not start at receipt 1). Returns the
 * number of bytes and lines copied, the seq range, and how far the log reaches, noting on the way
 * the hash of receipt `headSeq` (the head's) so the caller can check the log against its head.
 */
export async function exportReceipts(
  log: string,
  out: Writable,
  since: number | null,
  headSeq = 0,
): Promise<{ bytes: number; lines: number; firstSeq: number | null; lastSeq: number | null; reach: ExportReach }> {
  let startOffset: number | null = since === null ? 0 : null;
  let firstSeq: number | null = null;
  let lastSeq: number | null = null;
  let lines = 0;
  let reachedSeq = 0;
  let hashAtHead: string | null = null;
  const scan = await scanLines(log, (buf, start, end, offset) => {
    const seq = readSeq(buf, start, end);
    if (seq !== null) reachedSeq = seq;
    if (seq !== null && seq === headSeq) {
      const check = checkLine(buf, start, end);
      hashAtHead = check.ok ? check.facts.hash : null;
    }
    if (startOffset === null) {
      const time = readTime(buf, start, end);
      if (time === null || since === null || time < since) return true;
      startOffset = offset;
    }
    firstSeq ??= seq;
    lastSeq = seq;
    lines++;
    return true;
  });
  const reach = { lastSeq: reachedSeq, hashAtHead, tailBytes: scan.tail?.bytes ?? 0 };
  const endOffset = scan.tail === null ? scan.end : scan.tail.offset;
  if (startOffset === null || endOffset <= startOffset) return { bytes: 0, lines: 0, firstSeq: null, lastSeq: null, reach };
  await pipeline(createReadStream(log, { start: startOffset, end: endOffset - 1 }), out, { end: false });
  return { bytes: endOffset - startOffset, lines, firstSeq, lastSeq, reach };
}

function readTime(buf: Buffer, start: number, end: number): number | null {
  const line = buf.subarray(start, end);
  const at = line.indexOf(TIME);
  if (at < 0) return null;
  const close = line.indexOf(0x22, at + TIME.length);
  return close < 0 ? null : parseIsoTime(line.toString("latin1", at + TIME.length, close));
}

import { open } from "node:fs/promises";
import { MAX_RECEIPT_BYTES } from "./receipt-schema.js";

/**
 * Called for each newline-terminated line: `buf[start, end)` without the newline, `offset` its
 * position in the file, `number` 1-based. The bytes are only valid during the call. Return false to
 * stop reading.
 */
export type LineVisitor = (buf: Buffer, start: number, end: number, offset: number, number: number) => boolean | void;

export interface LineScan {
  /** Whole lines visited. */
  lines: number;
  /** Bytes after the last newline (a torn or still-being-written final line), or null. */
  tail: { offset: number; bytes: number } | null;
  /** Where reading ended: the file's size, or the end of the line the visitor stopped at. */
  end: number;
  stopped: boolean;
  /** The file does not exist (read as empty): callers decide whether that is a fresh log or a wrong path. */
  missing: boolean;
}

const CHUNK_BYTES = 1024 * 1024;
/** The least a scan reads into; it grows by doubling when a line is longer. */
const MIN_BUFFER_BYTES = 64 * 1024;
// Longer than any receipt could be: such a "line" is reported in pieces rather than buffered whole.
const MAX_LINE_BYTES = 4 * MAX_RECEIPT_BYTES;

/**
 * Streams a file's lines with large reads and no per-line allocation beyond the visitor's own.
 * A file that does not exist reads as empty, with `missing` set; `from` starts at a byte offset (a line boundary).
 */
export async function scanLines(path: string, visit: LineVisitor, from = 0): Promise<LineScan> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { lines: 0, tail: null, end: 0, stopped: false, missing: true };
    throw error;
  }
  try {
    // Sized to what there is to read: most scans go on from where the last one stopped and read a
    // few receipts (the gate's lock check before every job), and a fixed 2 MiB buffer for each was
    // most of the memory the gate's worker left for the garbage collector.
    const size = (await handle.stat().catch((error: unknown) => {
      throw withPath(error, path);
    })).size;
    let buf = Buffer.allocUnsafe(Math.min(CHUNK_BYTES * 2, Math.max(MIN_BUFFER_BYTES, size - from + 1)));
    let have = 0; // bytes in buf not yet consumed, starting at buf[0]
    let position = from; // file offset of buf[0]
    let lines = 0;
    for (;;) {
      if (have === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, have);
        buf = bigger;
      }
      const { bytesRead } = await handle.read(buf, have, Math.min(CHUNK_BYTES, buf.length - have), position + have).catch((error: unknown) => {
        throw withPath(error, path);
      });
      const filled = have + bytesRead;
      let start = 0;
      for (;;) {
        const newline = buf.indexOf(0x0a, start);
        if (newline === -1 || newline >= filled) break;
        lines++;
        if (visit(buf, start, newline, position + start, lines) === false) {
          return { lines, tail: null, end: position + newline + 1, stopped: true, missing: false };
        }
        start = newline + 1;
      }
      if (start === 0 && filled > MAX_LINE_BYTES) {
        // No newline in far more bytes than a receipt may have: hand over a piece so the visitor can
        // name the damage, and go on from there.
        lines++;
        if (visit(buf, 0, MAX_LINE_BYTES, position, lines) === false) return { lines, tail: null, end: position + MAX_LINE_BYTES, stopped: true, missing: false };
        start = MAX_LINE_BYTES;
      }
      if (bytesRead === 0) {
        const rest = filled - start;
        return { lines, tail: rest > 0 ? { offset: position + start, bytes: rest } : null, end: position + filled, stopped: false, missing: false };
      }
      buf.copy(buf, 0, start, filled);
      position += start;
      have = filled - start;
    }
  } finally {
    await handle.close();
  }
}

/** A read refused on an open file (EISDIR: the "log" is a folder) carries no path; this names it. */
export function withPath(error: unknown, path: string): unknown {
  const failure = error as NodeJS.ErrnoException;
  if (error instanceof Error && typeof failure.code === "string" && failure.path === undefined) failure.path = path;
  return error;
}

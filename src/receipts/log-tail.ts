import type { FileHandle } from "node:fs/promises";
import { checkLine } from "./line-facts.js";
import { MAX_RECEIPT_BYTES } from "./receipt-schema.js";

/**
 * The end of the log, read backwards: what an append needs (the last whole receipt) and what a
 * crash may have left after it (a torn final line). Only the final line can be torn: a process that
 * dies mid-append leaves a prefix of its one write, and every earlier append finished first.
 */
export interface TailLine {
  seq: number;
  hash: string;
  prev: string;
  /** Offset of the line's first byte, and just past its newline. */
  start: number;
  end: number;
}

export type TailInspection =
  | { kind: "empty" }
  | { kind: "whole"; last: TailLine }
  | { kind: "torn"; last: TailLine | null; at: number; bytes: number; seq: number; why: string }
  | { kind: "damaged"; line: "final" | "before-final"; problem: string };

const FIRST_WINDOW = 8 * 1024;
// A torn line and the whole line before it, each at most one receipt, and the newline before them.
const MAX_WINDOW = 2 * MAX_RECEIPT_BYTES + 2;

export async function inspectTail(handle: FileHandle, size: number): Promise<TailInspection> {
  if (size === 0) return { kind: "empty" };
  let window = Math.min(size, FIRST_WINDOW);
  for (;;) {
    const from = size - window;
    const buf = Buffer.allocUnsafe(window);
    await readFully(handle, buf, from);
    const result = classify(buf, from, size);
    if (result !== "need-more") return result;
    if (window >= size) throw new Error("unreachable: the whole file was read");
    if (window >= MAX_WINDOW) {
      return { kind: "damaged", line: "final", problem: `the last ${window} bytes hold no whole receipt, far more than a torn write can leave; the log was changed` };
    }
    window = Math.min(size, window * 4, MAX_WINDOW);
  }
}

function classify(buf: Buffer, from: number, size: number): TailInspection | "need-more" {
  const endsWithNewline = buf[buf.length - 1] === 0x0a;
  const finalEnd = endsWithNewline ? buf.length - 1 : buf.length;
  const boundary = finalEnd === 0 ? -1 : buf.lastIndexOf(0x0a, finalEnd - 1);
  if (boundary === -1 && from > 0) return "need-more";
  const finalStart = boundary + 1;
  if (endsWithNewline) {
    const check = checkLine(buf, finalStart, finalEnd);
    if (check.ok) {
      const { seq, hash, prev } = check.facts;
      return { kind: "whole", last: { seq, hash, prev, start: from + finalStart, end: size } };
    }
  }
  const tooLong = notATornWrite(finalEnd - finalStart);
  if (tooLong !== null) return { kind: "damaged", line: "final", problem: tooLong };
  const torn = {
    at: from + finalStart,
    bytes: size - (from + finalStart),
    why: endsWithNewline ? "is not a whole receipt" : "has no newline",
  };
  if (boundary === -1) return { kind: "torn", last: null, seq: 1, ...torn };
  const previousBoundary = boundary === 0 ? -1 : buf.lastIndexOf(0x0a, boundary - 1);
  if (previousBoundary === -1 && from > 0) return "need-more";
  const check = checkLine(buf, previousBoundary + 1, boundary);
  if (!check.ok) {
    return { kind: "damaged", line: "before-final", problem: `the line before the final one ${check.detail}, so the damage is not a torn write; the log was changed` };
  }
  const { seq, hash, prev } = check.facts;
  return { kind: "torn", last: { seq, hash, prev, start: from + previousBoundary + 1, end: from + boundary + 1 }, seq: seq + 1, ...torn };
}

/**
 * Why a bad final line (or unfinished bytes) of this length cannot be a torn write, or null when it
 * can be: a crash mid-append leaves at most one receipt. Opening the log, verify
 * (chain-verifier.ts) and the readers (head-agreement.ts) all ask this, so none is looser.
 */
export function notATornWrite(bytes: number): string | null {
  return bytes > MAX_RECEIPT_BYTES ? `the final line is ${bytes} bytes, longer than any receipt; it is not a torn write, the log was changed` : null;
}

export async function readFully(handle: FileHandle, buf: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < buf.length) {
    const { bytesRead } = await handle.read(buf, done, buf.length - done, position + done);
    if (bytesRead === 0) throw new Error(`the file ended at ${position + done} bytes while reading ${buf.length} from ${position}; it shrank while being read`);
    done += bytesRead;
  }
}

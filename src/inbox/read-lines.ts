/** Reads up to buffer.length bytes at position into buffer; resolves to how many (0 at the end). */
export type ReadAt = (buffer: Buffer, position: number) => Promise<number>;

export interface LinesRead {
  /** The byte offset just past the last newline: where the whole lines end. */
  end: number;
  /** The bytes after the last newline (a torn final line), or null when the file ends with one. */
  tail: Buffer | null;
}

/** 64 KiB: few reads for a large log, little memory held. */
export const DEFAULT_CHUNK_BYTES = 64 * 1024;

/**
 * The line decoded, its number, and its bytes as read (no newline; a view of the reused read buffer,
 * so copy them to keep them). A promise returned is awaited before the next line, so a consumer that
 * writes (compaction) paces the reading.
 */
export type OnLine = (line: string, number: number, bytes: Buffer) => void | Promise<void>;

/**
 * Calls onLine for every newline-terminated line from byte `from` on (a line's start), numbered
 * from 1, reading chunkBytes at a time.
 * Only one line is ever decoded at once: a log of a few million deliveries is past V8's longest
 * string (about 512 MiB), so it cannot be read as one. Splitting bytes on "\n" is safe in UTF-8,
 * where that byte never occurs inside a multi-byte character.
 */
export async function readLines(read: ReadAt, chunkBytes: number, onLine: OnLine, from = 0): Promise<LinesRead> {
  const chunk = Buffer.alloc(chunkBytes);
  // The start of a line that continues into the next chunk; copied, since chunk is reused.
  let carry: Buffer[] = [];
  let position = from;
  let end = from;
  let number = 0;
  for (let count = await read(chunk, position); count > 0; count = await read(chunk, position)) {
    const view = chunk.subarray(0, count);
    let start = 0;
    for (let newline = view.indexOf(0x0a); newline !== -1; newline = view.indexOf(0x0a, start)) {
      const piece = view.subarray(start, newline);
      const line = carry.length === 0 ? piece : Buffer.concat([...carry, piece]);
      carry = [];
      const pending = onLine(line.toString("utf8"), ++number, line);
      if (pending !== undefined) await pending;
      start = newline + 1;
      end = position + start;
    }
    if (start < count) carry.push(Buffer.from(view.subarray(start)));
    position += count;
  }
  return { end, tail: carry.length === 0 ? null : Buffer.concat(carry) };
}

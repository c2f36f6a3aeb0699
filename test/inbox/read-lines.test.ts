import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readLines, type ReadAt } from "../../src/inbox/read-lines.js";

/** A file in memory that records every read asked of it. */
function source(bytes: Buffer) {
  const reads: Array<{ position: number; asked: number }> = [];
  const read: ReadAt = async (buffer, position) => {
    reads.push({ position, asked: buffer.length });
    return bytes.copy(buffer, 0, position, Math.min(bytes.length, position + buffer.length));
  };
  return { read, reads };
}

async function collect(bytes: Buffer, chunkBytes: number) {
  const lines: Array<[number, string]> = [];
  const { read, reads } = source(bytes);
  const result = await readLines(read, chunkBytes, (line, number) => void lines.push([number, line]));
  return { lines, reads, ...result };
}

/** The recovery's former whole-string reading, kept here as the oracle the streaming one must match. */
function wholeString(text: string) {
  const lastNewline = text.lastIndexOf("\n");
  const torn = lastNewline !== text.length - 1;
  const body = torn ? text.slice(0, lastNewline + 1) : text;
  const lines = body.split("\n").slice(0, -1);
  return { lines: lines.map((line, i): [number, string] => [i + 1, line]), end: Buffer.byteLength(body), tail: torn ? text.slice(lastNewline + 1) : null };
}

describe("readLines: the inbox read back a chunk at a time", () => {
  it("joins lines cut across chunks, multi-byte characters included, and never asks for more than a chunk", async () => {
    const text = '{"a":"ü"}\n{"b":"🙂🙂"}\n\n{"c":"—long line spanning several chunks—"}\n';
    const { lines, reads, end, tail } = await collect(Buffer.from(text), 5);
    expect(lines).toEqual([
      [1, '{"a":"ü"}'],
      [2, '{"b":"🙂🙂"}'],
      [3, ""],
      [4, '{"c":"—long line spanning several chunks—"}'],
    ]);
    expect(end).toBe(Buffer.byteLength(text));
    expect(tail).toBeNull();
    // Bounded reads, front to back, each once: no read of the whole file.
    expect(reads.every((r) => r.asked === 5)).toBe(true);
    const size = Buffer.byteLength(text);
    expect(reads.map((r) => r.position)).toEqual([...Array.from({ length: Math.ceil(size / 5) }, (_, i) => i * 5), size]);
  });

  it("hands back a torn final line as its bytes, and where the whole lines end", async () => {
    const text = '{"a":1}\n{"b":2}\n{"type":"accepted","deliv';
    const { lines, end, tail } = await collect(Buffer.from(text), 4);
    expect(lines.map(([, line]) => line)).toEqual(['{"a":1}', '{"b":2}']);
    expect(end).toBe(16);
    expect(tail?.toString("utf8")).toBe('{"type":"accepted","deliv');
  });

  it("hands each line's own bytes over, and waits for an async consumer before the next line or read", async () => {
    const text = '{"a":"ü"}\n{"b":"🙂"}\n';
    const { read, reads } = source(Buffer.from(text));
    const events: string[] = [];
    await readLines(read, 64, async (line, number, bytes) => {
      events.push(`start ${number} ${bytes.equals(Buffer.from(line)) ? "same bytes" : "other bytes"}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      events.push(`end ${number} after ${reads.length} reads`);
    });
    expect(events).toEqual(["start 1 same bytes", "end 1 after 1 reads", "start 2 same bytes", "end 2 after 1 reads"]);
  });

  it("reads an empty file as no lines and no tail", async () => {
    expect(await collect(Buffer.alloc(0), 8)).toMatchObject({ lines: [], end: 0, tail: null });
  });

  it("gives exactly what reading the whole file as one string gave, for any content and chunk size", async () => {
    const line = fc.string({ unit: fc.constantFrom("a", "{", '"', "ü", "🙂", "\r", " ", "—"), maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 12 }), fc.boolean(), fc.integer({ min: 1, max: 9 }), async (parts, endsWithNewline, chunkBytes) => {
        const text = parts.join("\n") + (endsWithNewline && parts.length > 0 ? "\n" : "");
        const got = await collect(Buffer.from(text), chunkBytes);
        const expected = wholeString(text);
        expect(got.lines).toEqual(expected.lines);
        expect(got.end).toBe(expected.end);
        expect(got.tail?.toString("utf8") ?? null).toBe(expected.tail);
      }),
      { numRuns: 500 },
    );
  });
});

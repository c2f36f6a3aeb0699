import { appendFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { scanLines } from "../../src/receipts/line-reader.js";

const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});
async function fileOf(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "pw-line-reader-"));
  temps.push(dir);
  const path = join(dir, "log.jsonl");
  await writeFile(path, text);
  return path;
}

async function linesFrom(path: string, from = 0): Promise<{ lines: string[]; offsets: number[]; scan: Awaited<ReturnType<typeof scanLines>> }> {
  const lines: string[] = [];
  const offsets: number[] = [];
  const scan = await scanLines(path, (buf, start, end, offset) => {
    lines.push(buf.toString("latin1", start, end));
    offsets.push(offset);
  }, from);
  return { lines, offsets, scan };
}

// Lines from empty to 64 KiB (the longest line a scan hands over whole whatever its reads; a
// receipt is at most 16 KiB), around the least buffer a scan starts with (64 KiB).
const LENGTHS = [0, 1, 80, 65_535, 65_536, 3, 65_536, 12, 40_000, 1, 65_000];
const line = (i: number, length: number) => String.fromCharCode(97 + (i % 26)).repeat(length);

describe("scanLines reads every line whatever the buffer it starts with", () => {
  const text = LENGTHS.map((length, i) => `${line(i, length)}\n`).join("");

  it("from the start, and on from each line boundary, gives the lines and where each lies", async () => {
    const path = await fileOf(`${text}torn`);
    let offset = 0;
    for (let first = 0; first < LENGTHS.length; first++) {
      const { lines, offsets, scan } = await linesFrom(path, offset);
      expect(lines).toEqual(LENGTHS.slice(first).map((length, k) => line(first + k, length)));
      expect(offsets[0]).toBe(offset);
      expect(scan.tail).toEqual({ offset: text.length, bytes: 4 });
      expect(scan.end).toBe(text.length + 4);
      offset += LENGTHS[first]! + 1;
    }
  });

  it("grows to take lines appended while it reads", async () => {
    const path = await fileOf("first\n");
    const appended = [line(1, 60_000), line(2, 10), line(3, 65_536), line(4, 65_536)];
    const seen: string[] = [];
    await scanLines(path, (buf, start, end) => {
      seen.push(buf.toString("latin1", start, end));
      // Written after the scan sized its buffer for one short line.
      if (seen.length === 1) appendFileSync(path, appended.map((l) => `${l}\n`).join(""));
    });
    expect(seen).toEqual(["first", ...appended]);
  });
});

describe("scanLines sizes its buffer to what there is to read", () => {
  it("reading on from near the end (the gate's lock check before each job) takes 64 KiB, not 2 MiB", async () => {
    const path = await fileOf(`${"x".repeat(3_000_000)}\n${"receipt\n".repeat(10)}`);
    const allocations = vi.spyOn(Buffer, "allocUnsafe");
    try {
      const { lines } = await linesFrom(path, 3_000_001);
      expect(lines).toEqual(Array(10).fill("receipt"));
      expect(allocations.mock.calls.map(([size]) => size)).toEqual([64 * 1024]);
      allocations.mockClear();
      // From the start: as much as there is, up to 2 MiB.
      await linesFrom(path, 0);
      expect(allocations.mock.calls[0]?.[0]).toBe(2 * 1024 * 1024);
    } finally {
      allocations.mockRestore();
    }
  });
});

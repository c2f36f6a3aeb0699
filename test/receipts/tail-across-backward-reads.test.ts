import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { lastReceipts } from "../../src/receipts/read-receipts.js";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { rejection, steppingClock, tempDirs } from "./helpers.js";

const temp = tempDirs("tail-chunks");

describe("the last receipts of a log longer than one backward read", () => {
  it("returns exactly as many as asked, oldest first, when the oldest of them starts before the last 64 KiB", async () => {
    const log = await ReceiptLog.open(await temp(), { clock: steppingClock(), durable: false });
    await log.appendAll(Array.from({ length: 60 }, (_, i) => rejection(i + 1, `${"r".repeat(1990)} ${i + 1}`)));
    const bytes = await readFile(log.paths.log);
    expect(bytes.length).toBeGreaterThan(100 * 1024);
    // As many receipts as there are newlines in the last 64 KiB: the oldest of them begins before that window.
    const window = bytes.subarray(bytes.length - 64 * 1024);
    const count = window.reduce((n, byte) => (byte === 0x0a ? n + 1 : n), 0);
    expect(count).toBeGreaterThan(2);

    const tail = await lastReceipts(log.paths.log, count);
    expect(tail.tailBytes).toBe(0);
    expect(tail.reads).toHaveLength(count);
    expect(tail.reads.every((read) => read.ok)).toBe(true);
    expect(tail.reads.map((read) => (read.ok ? read.receipt.seq : null))).toEqual(Array.from({ length: count }, (_, i) => 60 - count + 1 + i));
  });
});

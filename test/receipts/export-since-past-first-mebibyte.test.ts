import { readFile } from "node:fs/promises";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { exportReceipts } from "../../src/receipts/read-receipts.js";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { rejection, steppingClock, tempDirs } from "./helpers.js";

const temp = tempDirs("export-big");

function collector(): { out: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return { out, text: () => Buffer.concat(chunks).toString("utf8") };
}

describe("export --since on a log longer than one read", () => {
  it("copies exactly the receipts from that time on, byte for byte, when they lie past the first mebibyte", async () => {
    const log = await ReceiptLog.open(await temp(), { clock: steppingClock(), durable: false });
    const long = "r".repeat(1990);
    for (let batch = 0; batch < 8; batch++) {
      await log.appendAll(Array.from({ length: 100 }, (_, i) => rejection(batch * 100 + i + 1, `${long} ${batch * 100 + i + 1}`)));
    }
    const text = await readFile(log.paths.log, "utf8");
    expect(Buffer.byteLength(text)).toBeGreaterThan(1024 * 1024 + 64 * 1024);
    const lines = text.split("\n").slice(0, -1);
    const bytesBefore = (n: number) => Buffer.byteLength(lines.slice(0, n).join("\n")) + 1;
    const timeOf = (i: number) => (JSON.parse(lines[i]!) as { time: string }).time;
    // The first receipt of a later write, well past the first mebibyte of the file.
    const from = lines.findIndex((_, i) => i > 0 && bytesBefore(i) > 1024 * 1024 + 16 * 1024 && timeOf(i) !== timeOf(i - 1));
    expect(from).toBeGreaterThan(0);
    const since = Date.parse(timeOf(from));
    expect(Date.parse(timeOf(from - 1))).toBeLessThan(since);

    const { out, text: copied } = collector();
    const result = await exportReceipts(log.paths.log, out, since);
    const expected = `${lines.slice(from).join("\n")}\n`;
    expect(copied()).toBe(expected);
    expect(result).toMatchObject({ lines: lines.length - from, bytes: Buffer.byteLength(expected), firstSeq: from + 1, lastSeq: lines.length });
  });
});

import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { lastReceipts } from "../../src/receipts/read-receipts.js";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { runCli } from "../helpers/run-cli.js";
import { rejection, steppingClock, tempDirs } from "./helpers.js";

const temp = tempDirs("tail-cut");

describe("receipts tail on a log cut in the middle of the receipt the head records", () => {
  it("shows the whole receipts, then exits 1 saying the receipt is cut off after so many bytes", async () => {
    const data = await temp();
    const log = await ReceiptLog.open(data, { clock: steppingClock(), durable: false });
    for (let n = 1; n <= 3; n++) await log.append(rejection(n));
    const lines = (await readFile(log.paths.log, "utf8")).split("\n");
    await writeFile(log.paths.log, `${lines[0]}\n${lines[1]}\n${lines[2]!.slice(0, 50)}`);

    const tail = await lastReceipts(log.paths.log, 10);
    expect(tail.tailBytes).toBe(50);
    expect(tail.reads.map((read) => (read.ok ? read.receipt.seq : null))).toEqual([1, 2]);

    const run = await runCli(["receipts", "tail", "--data-dir", data]);
    expect(run.code).toBe(1);
    expect(run.stdout.split("\n").filter(Boolean)).toHaveLength(2);
    expect(run.stderr).toContain(`${log.paths.log}: receipt 3 is cut off after 50 bytes, but receipts.head records receipt 3; the log was cut short after it was written`);
  });
});

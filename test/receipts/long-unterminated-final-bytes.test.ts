import { appendFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { MAX_RECEIPT_BYTES } from "../../src/receipts/receipt-schema.js";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { rejection, steppingClock, tempDirs } from "./helpers.js";

const temp = tempDirs("long-unterminated");

describe("bytes after the last newline many times longer than a receipt", () => {
  it("fail verify as a changed log, not pass as an append cut off", async () => {
    const log = await ReceiptLog.open(await temp(), { clock: steppingClock(), durable: false });
    for (let i = 1; i <= 3; i++) await log.append(rejection(i));
    // Over four receipts' worth, with no newline anywhere.
    await appendFile(log.paths.log, "x".repeat(6 * MAX_RECEIPT_BYTES));
    const report = await log.verify();
    expect(report.ok).toBe(false);
    expect(report.tornTail).toBeNull();
    expect(report.problem).toMatchObject({ kind: "malformed", seq: 4, line: 4 });
    expect(report.problem?.message).toMatch(/^is not a receipt .*; receipt 4 was changed after it was written$/);
  });
});

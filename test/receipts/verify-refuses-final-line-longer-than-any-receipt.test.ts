import { appendFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { MAX_RECEIPT_BYTES } from "../../src/receipts/receipt-schema.js";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { rejection, steppingClock, tempDirs } from "./helpers.js";

const temp = tempDirs("oversized-tail");

/**
 * A crash mid-append leaves at most one unfinished receipt after the last newline, and a receipt is
 * at most MAX_RECEIPT_BYTES: opening the log for writing refuses anything longer as "not a torn
 * write, the log was changed". `receipts verify` must not call the same log intact.
 */
describe("unfinished bytes after the last receipt, longer than any receipt can be", () => {
  it("are not passed by verify as a crash mid-append when opening the log refuses them as a change", async () => {
    const dataDir = await temp();
    const log = await ReceiptLog.open(dataDir, { clock: steppingClock(), durable: false });
    for (let i = 1; i <= 3; i++) await log.append(rejection(i));
    await appendFile(log.paths.log, "x".repeat(MAX_RECEIPT_BYTES + 4096));

    const opened = await ReceiptLog.open(dataDir, { durable: false }).then(
      () => "opened",
      (error: Error) => error.message,
    );
    expect(opened).toMatch(/longer than any receipt; it is not a torn write, the log was changed/);

    const report = await log.verify();
    expect(report.notices.join("\n")).not.toMatch(/set aside when the log is next opened/);
    expect(report.ok).toBe(false);
    expect(report.problem).toMatchObject({ kind: "malformed", seq: 4, line: 4, message: `the final line is ${MAX_RECEIPT_BYTES + 4096} bytes, longer than any receipt; it is not a torn write, the log was changed` });
  });

  it("a final line with its newline, longer than any receipt and not one, is not passed by verify as a torn append", async () => {
    const dataDir = await temp();
    const log = await ReceiptLog.open(dataDir, { clock: steppingClock(), durable: false });
    for (let i = 1; i <= 3; i++) await log.append(rejection(i));
    await appendFile(log.paths.log, `{"actor":"${"x".repeat(MAX_RECEIPT_BYTES + 4096)}"}\n`);

    const opened = await ReceiptLog.open(dataDir, { durable: false }).then(
      () => "opened",
      (error: Error) => error.message,
    );
    expect(opened).toMatch(/longer than any receipt; it is not a torn write, the log was changed/);

    const report = await log.verify();
    expect(report.tornTail).toBeNull();
    expect(report.ok).toBe(false);
    expect(report.problem?.message).toMatch(/^the final line is \d+ bytes, longer than any receipt; it is not a torn write, the log was changed$/);
  });
});

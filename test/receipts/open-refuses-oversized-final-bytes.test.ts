import { appendFile, readdir, readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { MAX_RECEIPT_BYTES } from "../../src/receipts/receipt-schema.js";
import { ReceiptLog, ReceiptLogDamagedError } from "../../src/receipts/receipt-log.js";
import { rejection, steppingClock, tempDirs } from "./helpers.js";

const temp = tempDirs("open-oversized");

async function logWithJunkTail(bytes: number) {
  const dataDir = await temp();
  const log = await ReceiptLog.open(dataDir, { clock: steppingClock(), durable: false });
  for (let i = 1; i <= 3; i++) await log.append(rejection(i));
  await appendFile(log.paths.log, "x".repeat(bytes));
  return { dataDir, log, before: await readFile(log.paths.log, "utf8"), files: await readdir(log.paths.dir) };
}

async function openError(dataDir: string): Promise<unknown> {
  return ReceiptLog.open(dataDir, { durable: false }).then(
    () => null,
    (error: unknown) => error,
  );
}

describe("opening a log whose bytes after the last newline are longer than a receipt", () => {
  it("refuses a final line a little over one receipt, and moves nothing aside", async () => {
    const { dataDir, log, before, files } = await logWithJunkTail(MAX_RECEIPT_BYTES + 2048);
    const error = await openError(dataDir);
    expect(error).toBeInstanceOf(ReceiptLogDamagedError);
    expect((error as Error).message).toContain(`the final line is ${MAX_RECEIPT_BYTES + 2048} bytes, longer than any receipt; it is not a torn write, the log was changed`);
    expect(await readFile(log.paths.log, "utf8")).toBe(before);
    expect(await readdir(log.paths.dir)).toEqual(files);
  });

  it("refuses a final line longer than two receipts, after reading no more than it needs to say so", async () => {
    const { dataDir, log, before } = await logWithJunkTail(3 * MAX_RECEIPT_BYTES);
    const error = await openError(dataDir);
    expect(error).toBeInstanceOf(ReceiptLogDamagedError);
    expect((error as Error).message).toMatch(/the last \d+ bytes hold no whole receipt, far more than a torn write can leave; the log was changed/);
    expect(await readFile(log.paths.log, "utf8")).toBe(before);
  }, 20_000);
});

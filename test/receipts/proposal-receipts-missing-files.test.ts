import { rm } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { receiptsOfProposal } from "../../src/receipts/proposal-receipts.js";
import { ReceiptLog, ReceiptLogDamagedError } from "../../src/receipts/receipt-log.js";
import { rejection, steppingClock, tempDirs } from "./helpers.js";

const temp = tempDirs("proposal-missing");

async function logWith(count: number): Promise<ReceiptLog> {
  const log = await ReceiptLog.open(await temp(), { clock: steppingClock(), durable: false });
  for (let n = 1; n <= count; n++) await log.append(rejection(n));
  return log;
}

async function attempt(log: ReceiptLog, id: string): Promise<unknown> {
  return receiptsOfProposal(log.paths.log, id).then(
    (found) => found,
    (error: unknown) => error,
  );
}

describe("the receipts of a proposal when one of the two files is gone", () => {
  it("a removed log while receipts.head records receipts throws rather than finding nothing", async () => {
    const log = await logWith(3);
    expect(await attempt(log, rejection(2).proposal_id)).toHaveLength(1);
    await rm(log.paths.log);
    const result = await attempt(log, rejection(2).proposal_id);
    expect(result).toBeInstanceOf(ReceiptLogDamagedError);
    expect((result as Error).message).toMatch(/the log ends at receipt 0, but receipts\.head records receipt 3; receipts 1–3 were removed from the end/);
  });

  it("a removed receipts.head while the log holds receipts throws: receipts cut off the end could not be noticed", async () => {
    const log = await logWith(3);
    await rm(log.paths.head);
    const result = await attempt(log, rejection(2).proposal_id);
    expect(result).toBeInstanceOf(ReceiptLogDamagedError);
    expect((result as Error).message).toMatch(/missing, so receipts removed from the end of the log could not be noticed/);
  });
});

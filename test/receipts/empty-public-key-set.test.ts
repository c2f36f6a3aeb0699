import { describe, expect, it } from "vitest";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { rejection, steppingClock, tempDirs } from "./helpers.js";

const temp = tempDirs("empty-keys");

describe("verifying with an empty set of public keys", () => {
  it("reads as verifying without a key: an unsigned intact log passes, and no receipt is blamed for a key nobody gave", async () => {
    const log = await ReceiptLog.open(await temp(), { clock: steppingClock(), durable: false });
    for (let i = 1; i <= 3; i++) await log.append(rejection(i));
    const report = await log.verify(new Map());
    expect(report.problem).toBeNull();
    expect(report).toMatchObject({ ok: true, receipts: 3, lastSeq: 3, signed: 0 });
  });
});

// Verify and opening the log refuse a final line longer than any receipt; so must the readers that
// go through head-agreement.ts (replay, lock state), which would otherwise take it for a torn append.
import { appendFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { MAX_RECEIPT_BYTES } from "../../src/receipts/receipt-schema.js";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { readPastVerdicts } from "../../src/replay/past-verdicts.js";
import { readLeaseState } from "../../src/locks/lease-view.js";
import { rejection, steppingClock, tempDirs } from "./helpers.js";

const temp = tempDirs("long-final");

describe("a newline-terminated final line longer than any receipt", () => {
  it("is refused by the replay reader as verify refuses it", async () => {
    const dir = await temp();
    const log = await ReceiptLog.open(dir, { clock: steppingClock(), durable: false });
    for (let i = 1; i <= 3; i++) await log.append(rejection(i));
    await appendFile(log.paths.log, `{"actor":"${"x".repeat(MAX_RECEIPT_BYTES + 4096)}"}\n`);
    expect((await log.verify()).ok).toBe(false);
    await expect(readPastVerdicts(log.paths, null)).rejects.toThrow(/line 4: .*; the final line is \d+ bytes, longer than any receipt; it is not a torn write, the log was changed/);
    await expect(readLeaseState(dir)).rejects.toThrow(/longer than any receipt; it is not a torn write, the log was changed/);
  });
});

describe("bytes after the last newline, longer than any receipt", () => {
  it("are refused by the replay reader and the lock state as verify refuses them", async () => {
    const dir = await temp();
    const log = await ReceiptLog.open(dir, { clock: steppingClock(), durable: false });
    for (let i = 1; i <= 3; i++) await log.append(rejection(i));
    await appendFile(log.paths.log, "x".repeat(MAX_RECEIPT_BYTES + 4096));
    expect((await log.verify()).ok).toBe(false);
    await expect(readLeaseState(dir)).rejects.toThrow(/longer than any receipt; it is not a torn write, the log was changed/);
    await expect(readPastVerdicts(log.paths, null)).rejects.toThrow(`${log.paths.log}: the final line is ${MAX_RECEIPT_BYTES + 4096} bytes, longer than any receipt; it is not a torn write, the log was changed`);
  });
});

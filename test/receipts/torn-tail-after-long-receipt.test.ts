import { appendFile, readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { rejection, steppingClock, tempDirs, verdictReceipt } from "./helpers.js";

const temp = tempDirs("torn-after-long");

describe("a torn final line after a receipt longer than the first read from the end", () => {
  it("is set aside as a crash mid-append, and the long receipt before it is kept whole", async () => {
    const dataDir = await temp();
    const log = await ReceiptLog.open(dataDir, { clock: steppingClock(), durable: false });
    await log.append(rejection(1));
    const codes = Array.from({ length: 150 }, (_, i) => `reason_code_${String(i).padStart(3, "0")}_${"z".repeat(48)}`);
    await log.append({ ...verdictReceipt(2), reason_codes: codes });
    const whole = await readFile(log.paths.log, "utf8");
    const lines = whole.split("\n");
    expect(Buffer.byteLength(lines[1]!)).toBeGreaterThan(10 * 1024);
    await appendFile(log.paths.log, '{"actor":"al');

    const reopened = await ReceiptLog.open(dataDir, { durable: false });
    expect(reopened.repaired).toMatchObject({ bytes: 12, afterSeq: 2 });
    expect(await readFile(log.paths.log, "utf8")).toBe(whole);
    expect((await reopened.verify()).ok).toBe(true);
  });
});

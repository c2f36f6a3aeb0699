import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { rejection, steppingClock, tempDirs } from "./helpers.js";

const temp = tempDirs("head-extra");

describe("a receipts.head with a field the head format does not have", () => {
  it("is refused as changed by hand, naming the field, instead of being read without it", async () => {
    const log = await ReceiptLog.open(await temp(), { clock: steppingClock(), durable: false });
    for (let i = 1; i <= 2; i++) await log.append(rejection(i));
    const head = JSON.parse(await readFile(log.paths.head, "utf8")) as Record<string, unknown>;
    await writeFile(log.paths.head, `${JSON.stringify({ ...head, note: "moved by hand" })}\n`);
    const report = await log.verify();
    expect(report.ok).toBe(false);
    expect(report.problem).toMatchObject({ kind: "head_invalid", seq: null });
    expect(report.problem?.message).toMatch(/^receipts\.head is not a receipts head \(top level: .*note.*\); it was damaged or changed by hand$/);
  });
});

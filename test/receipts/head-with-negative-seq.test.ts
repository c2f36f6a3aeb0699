import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { readHead } from "../../src/receipts/head-file.js";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { rejection, steppingClock, tempDirs } from "./helpers.js";

const temp = tempDirs("head-negative");

describe("a receipts.head whose seq is below zero", () => {
  it("is not a head: verify fails naming the head and its seq, rather than passing the log as anchored", async () => {
    const log = await ReceiptLog.open(await temp(), { clock: steppingClock(), durable: false });
    for (let i = 1; i <= 3; i++) await log.append(rejection(i));
    const head = JSON.parse(await readFile(log.paths.head, "utf8")) as Record<string, unknown>;
    await writeFile(log.paths.head, `${JSON.stringify({ ...head, seq: -1 })}\n`);

    const read = await readHead(log.paths.head);
    expect(read.ok).toBe(false);
    const report = await log.verify();
    expect(report.ok).toBe(false);
    expect(report.problem).toMatchObject({ kind: "head_invalid", seq: null });
    expect(report.problem?.message).toMatch(/^receipts\.head is not a receipts head \(seq: .+\); it was damaged or changed by hand$/);
  });
});

import { mkdir, rm } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { readHead } from "../../src/receipts/head-file.js";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { rejection, steppingClock, tempDirs } from "./helpers.js";

const temp = tempDirs("head-unreadable");

describe("a receipts.head that is there but cannot be read", () => {
  it("is a problem with the head, never taken for a missing head, even beside an empty log", async () => {
    const log = await ReceiptLog.open(await temp(), { clock: steppingClock(), durable: false });
    // A folder where the head file belongs: reading it fails with something other than "no such file".
    await rm(log.paths.head);
    await mkdir(log.paths.head);
    const read = await readHead(log.paths.head);
    expect(read).toMatchObject({ ok: false, problem: expect.stringMatching(/^cannot be read \(/) });
    const report = await log.verify();
    expect(report.ok).toBe(false);
    expect(report.problem).toMatchObject({ kind: "head_invalid", seq: null, message: expect.stringMatching(/^receipts\.head cannot be read \(/) });
  });

  it("with receipts in the log, is named as unreadable rather than missing", async () => {
    const log = await ReceiptLog.open(await temp(), { clock: steppingClock(), durable: false });
    await log.append(rejection(1));
    await rm(log.paths.head);
    await mkdir(log.paths.head);
    expect((await log.verify()).problem).toMatchObject({ kind: "head_invalid", message: expect.stringMatching(/^receipts\.head cannot be read \(/) });
  });
});

import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { rejection, steppingClock, tempDirs } from "../receipts/helpers.js";

// A bad final line at the seq the head records is tampering, not a torn append: it is reported as
// `changed`, not as a log cut short (`truncated`).
const temp = tempDirs("last-receipt-changed");

describe("receipts verify: the last receipt, the one receipts.head records, was edited", () => {
  it("is named as changed (receipt 6, line 6), not as a log cut short", async () => {
    const log = await ReceiptLog.open(await temp(), { clock: steppingClock(), durable: false });
    for (let i = 1; i <= 6; i++) await log.append(rejection(i));
    const lines = (await readFile(log.paths.log, "utf8")).split("\n").slice(0, -1);
    lines[5] = lines[5]!.replace("alice", "mallory");
    expect(lines[5]).toContain("mallory");
    await writeFile(log.paths.log, `${lines.join("\n")}\n`);
    const report = await log.verify();
    expect(report.ok).toBe(false);
    expect(report.problem).toMatchObject({ kind: "changed", seq: 6, line: 6 });
    expect(report.tornTail).toBeNull();
  });
});

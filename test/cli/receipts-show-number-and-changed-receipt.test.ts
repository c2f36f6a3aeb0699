import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { runCli } from "../helpers/run-cli.js";
import { rejection, steppingClock, tempDirs, verdictReceipt } from "../receipts/helpers.js";

const temp = tempDirs("receipts-show-scratch");

async function dataDirWith(count: number): Promise<{ dataDir: string; log: ReceiptLog }> {
  const dataDir = await temp();
  const log = await ReceiptLog.open(dataDir, { clock: steppingClock(), durable: false });
  for (let i = 1; i <= count; i++) await log.append(i % 2 === 0 ? verdictReceipt(i) : rejection(i));
  return { dataDir, log };
}

describe("patchwarden receipts show SEQ", () => {
  it("takes a number of up to 15 digits, and refuses 16 digits as not a receipt number (exit 2)", async () => {
    const { dataDir } = await dataDirWith(1);
    const fifteen = await runCli(["receipts", "show", "999999999999999", "--data-dir", dataDir]);
    expect(fifteen.code).toBe(1);
    expect(fifteen.stderr).toMatch(/no receipt 999999999999999; /);
    const sixteen = await runCli(["receipts", "show", "1000000000000000", "--data-dir", dataDir]);
    expect(sixteen.code).toBe(2);
    expect(sixteen.stdout).toBe("");
    expect(sixteen.stderr).toMatch(/^patchwarden receipts show: `1000000000000000` is not a receipt number; give a whole number from 1/);
  });

  it("a changed receipt is printed as stored (it cannot be trusted field by field), then exit 1 naming its line", async () => {
    const { dataDir, log } = await dataDirWith(3);
    const changed = (await readFile(log.paths.log, "utf8")).replace("not now (3)", "not now (Q)");
    await writeFile(log.paths.log, changed);
    const stored = changed.split("\n")[2]!;
    const text = await runCli(["receipts", "show", "3", "--data-dir", dataDir]);
    expect(text.code).toBe(1);
    expect(text.stdout).toBe(`${stored}\n`);
    expect(text.stderr).toMatch(new RegExp(`^patchwarden: ${log.paths.log.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} line 3: receipt 3 hash does not match`));
    const json = await runCli(["receipts", "show", "3", "--json", "--data-dir", dataDir]);
    expect(json.code).toBe(1);
    expect(json.stdout).toBe(`${stored}\n`);
  });
});

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { runCli } from "../helpers/run-cli.js";
import { rejection, steppingClock, tempDirs } from "../receipts/helpers.js";

const temp = tempDirs("receipts-verify-flags");

async function exported(): Promise<{ dataDir: string; out: string }> {
  const dataDir = await temp();
  const log = await ReceiptLog.open(dataDir, { clock: steppingClock(), durable: false });
  for (let i = 1; i <= 2; i++) await log.append(rejection(i));
  const out = join(await temp(), "copy.jsonl");
  expect((await runCli(["receipts", "export", "--data-dir", dataDir, "--out", out])).code).toBe(0);
  return { dataDir, out };
}

describe("patchwarden receipts verify refuses flags that would be silently ignored", () => {
  it("--partial without --log is a usage error (a data folder's log starts at receipt 1), nothing verified", async () => {
    const { dataDir } = await exported();
    const run = await runCli(["receipts", "verify", "--data-dir", dataDir, "--partial"]);
    expect(run).toEqual({
      code: 2,
      stdout: "",
      stderr: "patchwarden receipts verify: --partial: only with --log; a data folder's log starts at receipt 1\nrun `patchwarden receipts verify --help` for usage\n",
    });
  });

  it("--log with --data-dir is a usage error: one of them would be left unverified", async () => {
    const { dataDir, out } = await exported();
    const run = await runCli(["receipts", "verify", "--log", out, "--data-dir", dataDir]);
    expect(run).toEqual({
      code: 2,
      stdout: "",
      stderr: "patchwarden receipts verify: --log and --data-dir: give one, not both\nrun `patchwarden receipts verify --help` for usage\n",
    });
    // Each alone verifies.
    expect((await runCli(["receipts", "verify", "--log", out])).code).toBe(0);
    expect((await runCli(["receipts", "verify", "--data-dir", dataDir])).code).toBe(0);
  });
});

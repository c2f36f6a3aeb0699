import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { RepairLocks } from "../../src/locks/repair-locks.js";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { runCli } from "../helpers/run-cli.js";
import { steppingClock, T0, tempDirs } from "../receipts/helpers.js";

const temp = tempDirs("lock-cli-errors");

async function lockedDataDir() {
  const dataDir = await temp();
  const log = await ReceiptLog.open(dataDir, { clock: steppingClock(), durable: false });
  const { lease } = await new RepairLocks(log).acquire({ target: { host: "iskra-1" }, owner: "alice", reason: "gateway restart", now: T0 });
  return { dataDir, log, lease };
}

describe("lock commands report refusals as checks that failed, not as internal errors", () => {
  it("lock release of a lock that is not held: exit 1 with the message alone", async () => {
    const { dataDir } = await lockedDataDir();
    const run = await runCli(["lock", "release", "lk-000000000000", "--reason", "r", "--actor", "carol", "--data-dir", dataDir], { now: T0 });
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr: "patchwarden: lock `lk-000000000000`: not held (never taken, or already released or expired); `patchwarden lock status` lists the held locks\n",
    });
  });

  it("lock status on a damaged log: exit 1 with the message alone, path first", async () => {
    const { dataDir, log } = await lockedDataDir();
    await writeFile(log.paths.log, (await readFile(log.paths.log, "utf8")).replace("gateway restart", "gateway restarT"));
    const run = await runCli(["lock", "status", "--data-dir", dataDir], { now: T0 });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr.startsWith(`patchwarden: ${log.paths.log} `)).toBe(true);
    expect(run.stderr).toBe(
      `patchwarden: ${log.paths.log} (byte 0, the receipt after 0): hash does not match the receipt's content; receipts.head records receipt 1, so receipt 1 was whole once and was changed or cut after it was written; no lock is taken or released until \`patchwarden receipts verify\` passes\n`,
    );
    expect(run.stderr).not.toContain("internal error");
  });
});

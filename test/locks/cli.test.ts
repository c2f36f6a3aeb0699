import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { RepairLocks } from "../../src/locks/repair-locks.js";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { runCli } from "../helpers/run-cli.js";
import { steppingClock, T0, tempDirs } from "../receipts/helpers.js";

const temp = tempDirs("lock-cli");
const HOUR = 3_600_000;

async function lockedDataDir() {
  const dataDir = await temp();
  const log = await ReceiptLog.open(dataDir, { clock: steppingClock(), durable: false });
  const locks = new RepairLocks(log);
  const gateway = await locks.acquire({ target: { host: "iskra-1", service: "openclaw-gateway" }, owner: "alice", reason: "gateway restart", proposalId: "p_1", now: T0, ttlMs: HOUR });
  const old = await locks.acquire({ target: { host: "iskra-2" }, owner: "bob", reason: "disk cleanup", now: T0 - 2 * HOUR, ttlMs: HOUR });
  return { dataDir, log, gateway: gateway.lease, old: old.lease };
}

describe("patchwarden lock status", () => {
  it("lists held locks with holder, reason and expiry, and expired ones apart", async () => {
    const { dataDir, gateway, old } = await lockedDataDir();
    const run = await runCli(["lock", "status", "--data-dir", dataDir], { now: T0 + 60_000 });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        "held:",
        `  ${gateway.lock_id}  host \`iskra-1\`, service \`openclaw-gateway\``,
        `      by alice since ${gateway.acquired_at}, until 2026-11-21T06:00:00.000Z (receipt 1, proposal p_1): \`gateway restart\``,
        "expired (hold nothing; recorded as expired when the target is next locked):",
        `  ${old.lock_id}  host \`iskra-2\`, every service`,
        `      by bob since ${old.acquired_at}, until 2026-11-21T04:00:00.000Z (receipt 2): \`disk cleanup\``,
        "",
      ].join("\n"),
    );
    const json = JSON.parse((await runCli(["lock", "status", "--json", "--data-dir", dataDir], { now: T0 })).stdout);
    expect(json).toMatchObject({ through_seq: 2, active: [{ lock_id: gateway.lock_id, owner: "alice" }], expired: [{ lock_id: old.lock_id }] });
  });

  it("says so when nothing is locked, and exits 1 when the log is damaged", async () => {
    const dataDir = await temp();
    expect(await runCli(["lock", "status", "--data-dir", dataDir])).toMatchObject({ code: 0, stdout: "no repair locks are held\n" });
    const { dataDir: damaged, log } = await lockedDataDir();
    await writeFile(log.paths.log, (await readFile(log.paths.log, "utf8")).replace("gateway restart", "gateway restarT"));
    expect(await runCli(["lock", "status", "--data-dir", damaged])).toMatchObject({ code: 1, stderr: expect.stringMatching(/hash does not match/) });
  });
});

describe("patchwarden lock release", () => {
  it("releases a lock as an operator action and leaves a receipt", async () => {
    const { dataDir, gateway } = await lockedDataDir();
    const run = await runCli(["lock", "release", gateway.lock_id, "--reason", "repair abandoned", "--actor", "carol", "--data-dir", dataDir], { now: T0 });
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toBe(`released ${gateway.lock_id} on host \`iskra-1\`, service \`openclaw-gateway\` (held by alice); receipt 3\n`);
    const receipt = JSON.parse((await runCli(["receipts", "show", "3", "--json", "--data-dir", dataDir])).stdout);
    expect(receipt).toMatchObject({ kind: "lock.released", actor: "carol", lock_id: gateway.lock_id, reason: "repair abandoned", proposal_id: "p_1" });
    expect((await runCli(["lock", "status", "--data-dir", dataDir], { now: T0 })).stdout).not.toContain(gateway.lock_id);
    expect((await runCli(["receipts", "verify", "--data-dir", dataDir])).code).toBe(0);
  });

  it("exits 1 for a lock that is not held, 2 for bad usage", async () => {
    const { dataDir, gateway } = await lockedDataDir();
    expect(await runCli(["lock", "release", "lk-000000000000", "--reason", "r", "--actor", "carol", "--data-dir", dataDir])).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/lock `lk-000000000000`: not held .*`patchwarden lock status` lists the held locks/),
    });
    expect(await runCli(["lock", "release", "lock-1", "--reason", "r", "--actor", "carol", "--data-dir", dataDir])).toMatchObject({ code: 2, stderr: expect.stringMatching(/`lock-1` is not a lock id/) });
    expect(await runCli(["lock", "release", gateway.lock_id, "--actor", "carol", "--data-dir", dataDir])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--reason: missing/) });
    expect(await runCli(["lock", "release", gateway.lock_id, "--reason", "r", "--data-dir", dataDir])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--actor: missing; give the operator's Forgejo login/) });
    expect(await runCli(["lock", "release", gateway.lock_id, "--reason", "r", "--actor", "carol smith", "--data-dir", dataDir])).toMatchObject({ code: 2, stderr: expect.stringMatching(/is not a login/) });
  });

  it("reports a torn tail it repaired on the way", async () => {
    const { dataDir, log, gateway } = await lockedDataDir();
    await writeFile(log.paths.log, `${await readFile(log.paths.log, "utf8")}{"actor":"bo`);
    const run = await runCli(["lock", "release", gateway.lock_id, "--reason", "done", "--actor", "carol", "--data-dir", dataDir]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^patchwarden: .*receipts\.jsonl: the final line has no newline .* set aside in .*torn-.*\.jsonl; the log now ends at receipt 2\n$/);
  });
});

import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { RepairLocks } from "../../src/locks/repair-locks.js";
import { receiptPaths } from "../../src/receipts/data-dir.js";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { loadSigner } from "../../src/receipts/signing.js";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

// One operator command run without the key must not leave an unsigned head the signing server refuses.
const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const T0 = Date.parse("2026-11-21T05:00:00Z");
const SIGNED = /^patchwarden: \S+receipts\.head: this log is signed \(`ed25519:[0-9a-f]{16}`\), and this process has no key; set PATCHWARDEN_RECEIPT_KEY or receipt_key in PATCHWARDEN_CONFIG to the key it is signed with, as the server has it/;

/** A data folder the server signs, holding one lock. */
async function signedFolder() {
  const temp = await mkdtemp(join(tmpdir(), "pw-keyless-cli-"));
  temps.push(temp);
  expect((await runCli(["receipts", "keygen", "--out", join(temp, "keys")])).code).toBe(0);
  const key = join(temp, "keys", "receipt-signing.key");
  const dataDir = join(temp, "data");
  const server = await ReceiptLog.open(dataDir, { signer: await loadSigner(key), durable: false });
  const { lease } = await new RepairLocks(server).acquire({ target: { host: "iskra-1" }, owner: "alice", reason: "approved", now: T0 });
  const files = async () => ({ log: await readFile(receiptPaths(dataDir).log, "utf8"), head: await readFile(receiptPaths(dataDir).head, "utf8") });
  return { dataDir, key, server, lockId: lease.lock_id, files, before: await files() };
}

describe("a command without the signing key on a signed log", () => {
  it("lock release exits 2 saying which key to set, and appends nothing; with the key it releases", async () => {
    const { dataDir, key, server, lockId, files, before } = await signedFolder();
    const run = await runCli(["lock", "release", lockId, "--reason", "done", "--actor", "carol", "--data-dir", dataDir]);
    expect(run).toMatchObject({ code: 2, stdout: "" });
    expect(run.stderr).toMatch(SIGNED);
    expect(await files()).toEqual(before);
    const withKey = await runCli(["lock", "release", lockId, "--reason", "done", "--actor", "carol", "--data-dir", dataDir], { env: { PATCHWARDEN_RECEIPT_KEY: key } });
    expect(withKey).toMatchObject({ code: 0, stdout: expect.stringMatching(/^released /) });
    // The server signs on, as before.
    await expect(server.append({ kind: "proposal.rejected", actor: "alice", proposal_id: "p_00000000000000000001", reason: "r" })).resolves.toMatchObject({ seq: 3 });
  });

  it("receipts reanchor and a recorded gate run exit 2 the same way; a read-only check and verify need no key", async () => {
    const { dataDir, files, before } = await signedFolder();
    const reanchor = await runCli(["receipts", "reanchor", "--reason", "no key at hand", "--actor", "carol", "--data-dir", dataDir]);
    expect(reanchor).toMatchObject({ code: 2, stdout: "" });
    expect(reanchor.stderr).toMatch(SIGNED);
    expect(reanchor.stderr).toMatch(/to stop signing on purpose, move receipts\.head aside \(keep it: it is a checkpoint\), then re-anchor\n$/);
    const check = ["runtime-repair-check", "--bundle", fixture("examples/runtime-diagnostics.bundle.yaml"), "--now", "2026-11-21T05:00:00Z", "--data-dir", dataDir];
    const recorded = await runCli([...check, "--receipt", "--actor", "carol"]);
    expect(recorded).toMatchObject({ code: 2, stdout: "" });
    expect(recorded.stderr).toMatch(SIGNED);
    expect(await files()).toEqual(before);
    // The example bundle blocks (20); the point is that no key is asked for.
    expect(await runCli(check)).toMatchObject({ code: 20, stderr: "" });
    expect((await runCli(["receipts", "verify", "--data-dir", dataDir])).code).toBe(0);
  });

  it("serve started without the key on a signed log does not start (exit 2, which systemd does not restart)", async () => {
    const { dataDir, files, before } = await signedFolder();
    const run = await runCli(["serve"], { env: { PATCHWARDEN_DATA_DIR: dataDir, PATCHWARDEN_LISTEN: "127.0.0.1:0" } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/receipts\.head: this log is signed \(`ed25519:[0-9a-f]{16}`\), and this process has no key/);
    expect(run.stderr).not.toMatch(/internal error|this is a bug/);
    expect(await files()).toEqual(before);
  });
});

import { generateKeyPairSync } from "node:crypto";
import { appendFile, readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { LockStateError } from "../../src/locks/lock-errors.js";
import { RepairLocks } from "../../src/locks/repair-locks.js";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { signerFromKey } from "../../src/receipts/signing.js";
import { rehash, steppingClock, T0, tempDirs } from "../receipts/helpers.js";

/**
 * With PATCHWARDEN_RECEIPT_KEY set, receipts not made with the key do not count. A receipt after the
 * head is vouched for by no head yet, so a `lock.released` that anyone able to append a line wrote
 * after another operator's `lock.acquired` must neither free the target for a second repair nor be
 * signed over by the writer's next head; and lock state read from a signed log does not take it.
 */
const temp = tempDirs("unsigned-release");
const TARGET = { host: "iskra-1", service: "openclaw-gateway" };
const outcome = (run: Promise<unknown>) => run.then(() => "acquired", (error: Error) => `${error.name}: ${error.message}`);

/** A signed log where alice holds TARGET, and one line after it, appended by someone without the key, releasing her lock. */
async function forgedRelease(seal: (line: string, keyId: string) => string = (line) => line) {
  const signer = signerFromKey(generateKeyPairSync("ed25519").privateKey);
  const dataDir = await temp();
  const log = await ReceiptLog.open(dataDir, { clock: steppingClock(), signer, durable: false });
  const { lease } = await new RepairLocks(log).acquire({ target: TARGET, owner: "alice", reason: "restart approved", now: T0 });
  const lines = (await readFile(log.paths.log, "utf8")).split("\n").filter(Boolean);
  const acquired = JSON.parse(lines.at(-1)!) as { hash: string; seq: number };
  const forged = rehash(lines.at(-1)!, (body) => {
    for (const key of ["key_id", "owner", "expires_at"]) delete body[key];
    Object.assign(body, { kind: "lock.released", seq: acquired.seq + 1, prev: acquired.hash, reason: "done" });
  });
  await appendFile(log.paths.log, `${seal(forged, signer.keyId)}\n`);
  return { signer, dataDir, log, lease, forgedSeq: acquired.seq + 1 };
}

describe("a lock.released appended after a signed head without the key", () => {
  it("does not free the target: a signing writer refuses the log, naming the receipt", async () => {
    const { signer, dataDir, lease, forgedSeq } = await forgedRelease();
    // A fresh process (the CLI's `queue approve`, or a restarted server) signing with the key.
    const second = await outcome(
      ReceiptLog.open(dataDir, { clock: steppingClock(T0 + 60_000), signer, durable: false }).then((log) => new RepairLocks(log).acquire({ target: TARGET, owner: "bob", reason: "second restart", now: T0 + 60_000 })),
    );
    expect(second).toMatch(new RegExp(`^ReceiptLogDamagedError: .*receipt ${forgedSeq} comes after receipt ${forgedSeq - 1}, the last one receipts\\.head vouches for, and is not signed`));
    expect(second).not.toContain(lease.lock_id);
  });

  it("a writer that opened the log before the line was appended refuses it too", async () => {
    const signer = signerFromKey(generateKeyPairSync("ed25519").privateKey);
    const dataDir = await temp();
    const log = await ReceiptLog.open(dataDir, { clock: steppingClock(), signer, durable: false });
    const locks = new RepairLocks(log);
    await locks.acquire({ target: TARGET, owner: "alice", reason: "restart approved", now: T0 });
    const lines = (await readFile(log.paths.log, "utf8")).split("\n").filter(Boolean);
    const acquired = JSON.parse(lines.at(-1)!) as { hash: string; seq: number };
    await appendFile(log.paths.log, `${rehash(lines.at(-1)!, (body) => {
      for (const key of ["key_id", "owner", "expires_at"]) delete body[key];
      Object.assign(body, { kind: "lock.released", seq: acquired.seq + 1, prev: acquired.hash, reason: "done" });
    })}\n`);
    expect(await outcome(locks.acquire({ target: TARGET, owner: "bob", reason: "second restart", now: T0 + 60_000 }))).toMatch(/^ReceiptLogDamagedError: .*is not signed/);
  });

  it("lock state read with the key refuses it, and so does a reader without the key for an unsigned one", async () => {
    const { signer, dataDir, forgedSeq } = await forgedRelease();
    const withKey = new RepairLocks(ReceiptLog.at(dataDir, { signer }));
    await expect(withKey.activeLeases(T0 + 60_000)).rejects.toThrow(LockStateError);
    await expect(withKey.activeLeases(T0 + 60_000)).rejects.toThrow(new RegExp(`receipt ${forgedSeq} comes after receipt ${forgedSeq - 1}, the last one receipts\\.head vouches for, and is not signed with ${signer.keyId}`));
    const keyless = new RepairLocks(ReceiptLog.at(dataDir));
    await expect(keyless.status(T0 + 60_000)).rejects.toThrow(/is not signed with ed25519:[0-9a-f]{16}, the key this log is signed with; it was appended without the key; no lock is taken or released until `patchwarden receipts verify --public-key receipt-signing\.pub` passes/);

    // Named as the key's, with a made-up signature: a reader without the key cannot tell (only the
    // public key or the key itself can); the key tells, and every lock decision is made with it.
    const madeUp = await forgedRelease((line, keyId) => rehash(line, (body) => void (body["key_id"] = keyId)).replace(/}$/, `,"sig":"${"A".repeat(86)}=="}`));
    await expect(new RepairLocks(ReceiptLog.at(madeUp.dataDir, { signer: madeUp.signer })).activeLeases(T0 + 60_000)).rejects.toThrow(/carries a signature that ed25519:[0-9a-f]{16} did not make/);
    const opened = await ReceiptLog.open(madeUp.dataDir, { signer: madeUp.signer, durable: false }).then((log) => new RepairLocks(log)).catch((error: Error) => error);
    expect(opened).toBeInstanceOf(Error);
    expect((opened as Error).message).toMatch(new RegExp(`receipt ${madeUp.forgedSeq} .*carries a signature that ${madeUp.signer.keyId} did not make`));
  });

  // With the head rewritten unsigned (same seq and hash), a reader took the log for an unsigned one
  // and checked nothing past the head: the forged release freed the target in `lock status` and in
  // a read-only `runtime-repair-check`. With the key, the head must be the key's own.
  it("lock state read with the key refuses a head swapped for an unsigned one", async () => {
    const { signer, dataDir, log } = await forgedRelease();
    const head = JSON.parse(await readFile(log.paths.head, "utf8")) as Record<string, unknown>;
    delete head["key_id"];
    delete head["sig"];
    await writeFile(log.paths.head, `${JSON.stringify(head)}\n`);
    const withKey = new RepairLocks(ReceiptLog.at(dataDir, { signer }));
    await expect(withKey.activeLeases(T0 + 60_000)).rejects.toThrow(LockStateError);
    await expect(withKey.activeLeases(T0 + 60_000)).rejects.toThrow(/receipts\.head: is not signed, but this log is read with its signing key \(ed25519:[0-9a-f]{16}\); lock state is not read from it; no lock is taken or released until/);
  });
});

import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { LockNotFoundError, LockRequestError, LockStateError, TargetLockedError } from "../../src/locks/lock-errors.js";
import { RepairLocks } from "../../src/locks/repair-locks.js";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { rejection, steppingClock, T0, tempDirs } from "../receipts/helpers.js";

const temp = tempDirs("locks");
const HOUR = 3_600_000;
const GATEWAY = { host: "iskra-1", service: "openclaw-gateway" };

async function setup() {
  const log = await ReceiptLog.open(await temp(), { clock: steppingClock(), durable: false });
  return { log, locks: new RepairLocks(log) };
}

async function kinds(log: ReceiptLog): Promise<string[]> {
  return (await readFile(log.paths.log, "utf8"))
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line).kind);
}

describe("repair locks", () => {
  it("takes a lease with a receipt, and refuses a second one on the target naming the holder", async () => {
    const { log, locks } = await setup();
    const first = await locks.acquire({ target: GATEWAY, owner: "alice", reason: "restart approved", proposalId: "p_1", now: T0, ttlMs: HOUR });
    expect(first.reused).toBe(false);
    expect(first.lease).toMatchObject({ owner: "alice", repair_target: GATEWAY, proposal_id: "p_1", expires_at: "2026-11-21T06:00:00.000Z", acquired_seq: 1 });
    expect(first.lease.lock_id).toMatch(/^lk-[0-9a-f]{12}$/);
    expect(first.receipts.map((r) => r.kind)).toEqual(["lock.acquired"]);

    const second = locks.acquire({ target: { host: "ISKRA-1" }, owner: "bob", reason: "another restart", proposalId: "p_2", now: T0 + 60_000 });
    await expect(second).rejects.toThrow(TargetLockedError);
    await expect(locks.acquire({ target: GATEWAY, owner: "bob", reason: "x", now: T0 })).rejects.toThrow(
      `host \`iskra-1\`, service \`openclaw-gateway\`: locked by \`alice\` until 2026-11-21T06:00:00.000Z (lock \`${first.lease.lock_id}\`, proposal \`p_1\`: \`restart approved\`); wait until it expires, or release it with \`patchwarden lock release ${first.lease.lock_id} --reason TEXT\``,
    );
    // A different service on the same host is a different target.
    expect((await locks.acquire({ target: { host: "iskra-1", service: "nginx" }, owner: "bob", reason: "nginx reload", now: T0 })).reused).toBe(false);
    expect(await kinds(log)).toEqual(["lock.acquired", "lock.acquired"]);
  });

  it("appends the caller's receipts after lock.acquired, in the same write", async () => {
    const { locks } = await setup();
    const approved = { kind: "proposal.approved" as const, actor: "alice", proposal_id: "p_1", target: { repo: "iskra/ops", issue: 7 } };
    const result = await locks.acquire({ target: GATEWAY, owner: "alice", reason: "approve", proposalId: "p_1", now: T0, with: [approved] });
    expect(result.receipts.map((r) => [r.seq, r.kind])).toEqual([
      [1, "lock.acquired"],
      [2, "proposal.approved"],
    ]);
  });

  it("lets a retried approval of the same proposal keep its lease", async () => {
    const { locks } = await setup();
    const first = await locks.acquire({ target: GATEWAY, owner: "alice", reason: "approve", proposalId: "p_1", now: T0 });
    const again = await locks.acquire({ target: GATEWAY, owner: "alice", reason: "approve (retry)", proposalId: "p_1", now: T0 + 1000 });
    expect(again).toMatchObject({ reused: true, receipts: [], lease: { lock_id: first.lease.lock_id } });
  });

  it("releases by id as an operator action, and then the target is free", async () => {
    const { log, locks } = await setup();
    const { lease } = await locks.acquire({ target: GATEWAY, owner: "alice", reason: "approve", now: T0 });
    const released = await locks.release({ lockId: lease.lock_id, actor: "bob", reason: "repair abandoned", now: T0 + 1000 });
    expect(released.receipt).toMatchObject({ kind: "lock.released", actor: "bob", lock_id: lease.lock_id, reason: "repair abandoned", repair_target: GATEWAY });
    expect((await locks.status(T0 + 2000)).active).toEqual([]);
    await expect(locks.release({ lockId: lease.lock_id, actor: "bob", reason: "again", now: T0 })).rejects.toThrow(LockNotFoundError);
    expect((await locks.acquire({ target: GATEWAY, owner: "carol", reason: "next", now: T0 + 3000 })).reused).toBe(false);
    expect(await kinds(log)).toEqual(["lock.acquired", "lock.released", "lock.acquired"]);
  });

  it("a passing postcheck releases the lease; a failing one keeps it held", async () => {
    const { locks } = await setup();
    const { lease } = await locks.acquire({ target: GATEWAY, owner: "alice", reason: "approve", proposalId: "p_1", now: T0 });
    const failed = await locks.recordPostcheck({ proposalId: "p_1", result: "fail", actor: "patchwarden", reason: "gateway still 503", now: T0 });
    expect(failed.released).toBeNull();
    expect(failed.receipts.map((r) => r.kind)).toEqual(["postcheck"]);
    expect((await locks.status(T0)).active).toHaveLength(1);
    const passed = await locks.recordPostcheck({ lockId: lease.lock_id, result: "pass", actor: "patchwarden", now: T0 });
    expect(passed.receipts.map((r) => r.kind)).toEqual(["postcheck", "lock.released"]);
    expect(passed.receipts[1]).toMatchObject({ postcheck_seq: passed.receipts[0]!.seq, actor: "patchwarden", proposal_id: "p_1" });
    expect((await locks.status(T0)).active).toEqual([]);
    await expect(locks.recordPostcheck({ result: "pass", actor: "patchwarden", now: T0 })).rejects.toThrow(LockRequestError);
  });

  it("an expired lease holds nothing; taking the target over records its expiry first", async () => {
    const { log, locks } = await setup();
    const old = await locks.acquire({ target: GATEWAY, owner: "alice", reason: "approve", now: T0, ttlMs: HOUR });
    const status = await locks.status(T0 + HOUR);
    expect(status.active).toEqual([]);
    expect(status.expired.map((l) => l.lock_id)).toEqual([old.lease.lock_id]);
    const next = await locks.acquire({ target: GATEWAY, owner: "bob", reason: "new repair", now: T0 + HOUR });
    expect(next.receipts.map((r) => r.kind)).toEqual(["lock.expired", "lock.acquired"]);
    expect(next.receipts[0]).toMatchObject({ lock_id: old.lease.lock_id, actor: "patchwarden", expired_at: old.lease.expires_at });
    expect(await kinds(log)).toEqual(["lock.acquired", "lock.expired", "lock.acquired"]);
  });

  it("records the expiry of every lapsed lease on request", async () => {
    const { locks } = await setup();
    await locks.acquire({ target: GATEWAY, owner: "alice", reason: "a", now: T0, ttlMs: HOUR });
    await locks.acquire({ target: { host: "iskra-2" }, owner: "alice", reason: "b", now: T0, ttlMs: 3 * HOUR });
    expect((await locks.expire(T0 + 2 * HOUR)).map((r) => r.kind)).toEqual(["lock.expired"]);
    expect((await locks.status(T0 + 2 * HOUR)).active.map((l) => l.repair_target)).toEqual([{ host: "iskra-2" }]);
  });

  it("refuses requests that lock nothing or last no time", async () => {
    const { locks } = await setup();
    await expect(locks.acquire({ target: {}, owner: "alice", reason: "r", now: T0 })).rejects.toThrow(/names no host and no service/);
    await expect(locks.acquire({ target: GATEWAY, owner: "alice", reason: "r", now: T0, ttlMs: 0 })).rejects.toThrow(/give more than 0 and at most 7 days/);
  });

  it("survives a restart: a new process reads the leases from the receipts", async () => {
    const { log, locks } = await setup();
    const { lease } = await locks.acquire({ target: GATEWAY, owner: "alice", reason: "approve", now: T0 });
    await log.append(rejection(1)); // other receipts in between
    const restarted = new RepairLocks(await ReceiptLog.open(log.paths.dataDir, { durable: false }));
    expect((await restarted.status(T0)).active.map((l) => l.lock_id)).toEqual([lease.lock_id]);
    await expect(restarted.acquire({ target: GATEWAY, owner: "bob", reason: "x", now: T0 })).rejects.toThrow(TargetLockedError);
  });

  it("moves a long-lived reader on incrementally, and refuses a log replaced under it, which a fresh reader reads as it is", async () => {
    const { log, locks } = await setup();
    const reader = new RepairLocks(ReceiptLog.at(log.paths.dataDir));
    expect((await reader.status(T0)).active).toEqual([]);
    const { lease } = await locks.acquire({ target: GATEWAY, owner: "alice", reason: "approve", now: T0 });
    const seen = await reader.status(T0);
    expect(seen.active.map((l) => l.lock_id)).toEqual([lease.lock_id]);
    expect(seen.throughSeq).toBe(1);
    // Another data folder's log and head copied over this one: it agrees with its head, but the
    // lease the reader folded is gone with the receipt it was read through.
    const other = await setup();
    await other.locks.acquire({ target: { host: "iskra-9" }, owner: "bob", reason: "other", now: T0 });
    await other.log.append(rejection(1));
    await writeFile(log.paths.log, await readFile(other.log.paths.log));
    await writeFile(log.paths.head, await readFile(other.log.paths.head));
    await expect(reader.status(T0)).rejects.toThrow(LockStateError);
    await expect(reader.status(T0)).rejects.toThrow(/receipts\.jsonl: no longer holds receipt 1 \(sha256:[0-9a-f]{64}\) where this process saw it; .*no lock is taken or released by this process until the log it read is restored, or it is restarted$/);
    // The writer that took the lease refuses to append to it too.
    await expect(locks.acquire({ target: { host: "iskra-3" }, owner: "alice", reason: "approve", now: T0 })).rejects.toThrow(/no longer holds receipt 1 .* then restart this process/);
    expect((await new RepairLocks(ReceiptLog.at(log.paths.dataDir)).status(T0)).active.map((l) => l.repair_target)).toEqual([{ host: "iskra-9" }]);
  });

  it("fails closed when the receipts holding lock state were changed", async () => {
    const { log, locks } = await setup();
    await locks.acquire({ target: GATEWAY, owner: "alice", reason: "approve", now: T0 });
    await log.append(rejection(2));
    const text = await readFile(log.paths.log, "utf8");
    await writeFile(log.paths.log, text.replace('"owner":"alice"', '"owner":"bobby"'));
    await expect(new RepairLocks(log).status(T0)).rejects.toThrow(LockStateError);
    await expect(new RepairLocks(log).status(T0)).rejects.toThrow(/hash does not match .*no lock is taken or released until `patchwarden receipts verify` passes/);
  });
});

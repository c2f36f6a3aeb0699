import { describe, expect, it } from "vitest";
import { LockRequestError, TargetLockedError } from "../../src/locks/lock-errors.js";
import { MAX_LEASE_MS, RepairLocks } from "../../src/locks/repair-locks.js";
import { normalizeRepairTarget } from "../../src/locks/repair-target.js";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { runCli } from "../helpers/run-cli.js";
import { steppingClock, T0, tempDirs } from "../receipts/helpers.js";

const temp = tempDirs("lock-decisions");
const HOUR = 3_600_000;
const GATEWAY = { host: "iskra-1", service: "openclaw-gateway" };
const NGINX = { host: "iskra-1", service: "nginx" };

async function setup() {
  const dataDir = await temp();
  const log = await ReceiptLog.open(dataDir, { clock: steppingClock(), durable: false });
  return { dataDir, log, locks: new RepairLocks(log) };
}

describe("the length of a lease", () => {
  it("may be exactly seven days, and no longer", async () => {
    const { locks } = await setup();
    const week = await locks.acquire({ target: GATEWAY, owner: "alice", reason: "r", now: T0, ttlMs: MAX_LEASE_MS });
    expect(week.lease.expires_at).toBe(new Date(T0 + MAX_LEASE_MS).toISOString());
    await expect(locks.acquire({ target: NGINX, owner: "alice", reason: "r", now: T0, ttlMs: MAX_LEASE_MS + 1 })).rejects.toThrow(
      new LockRequestError(`repair lock: a lease of \`${MAX_LEASE_MS + 1}\` ms; give more than 0 and at most 7 days`),
    );
  });

  it("must be a positive number of milliseconds", async () => {
    const { locks } = await setup();
    for (const ttlMs of [Number.NaN, Number.POSITIVE_INFINITY, -1]) {
      await expect(locks.acquire({ target: GATEWAY, owner: "alice", reason: "r", now: T0, ttlMs }), String(ttlMs)).rejects.toThrow(
        `repair lock: a lease of \`${ttlMs}\` ms; give more than 0 and at most 7 days`,
      );
    }
    expect((await locks.status(T0)).active).toEqual([]);
  });
});

describe("a second approval on a held target", () => {
  it("without a proposal id is refused even when the holder has none either", async () => {
    const { locks } = await setup();
    const first = await locks.acquire({ target: GATEWAY, owner: "alice", reason: "by hand", now: T0 });
    await expect(locks.acquire({ target: GATEWAY, owner: "bob", reason: "by hand too", now: T0 + 1000 })).rejects.toThrow(TargetLockedError);
    expect((await locks.status(T0 + 2000)).active.map((l) => [l.lock_id, l.owner])).toEqual([[first.lease.lock_id, "alice"]]);
  });

  it("a retried approval whose target also meets another lease is refused, naming the other holder", async () => {
    const { locks } = await setup();
    await locks.acquire({ target: GATEWAY, owner: "alice", reason: "gateway restart", proposalId: "p_1", now: T0 });
    const nginx = await locks.acquire({ target: NGINX, owner: "bob", reason: "nginx reload", proposalId: "p_2", now: T0 });
    const retry = locks.acquire({ target: { host: "iskra-1" }, owner: "alice", reason: "gateway restart", proposalId: "p_1", now: T0 + 1000 });
    await expect(retry).rejects.toThrow(TargetLockedError);
    await expect(retry).rejects.toThrow(`host \`iskra-1\`, every service: locked by \`bob\` until ${nginx.lease.expires_at} (lock \`${nginx.lease.lock_id}\`, proposal \`p_2\`: \`nginx reload\`)`);
  });

  it("a retried approval keeping its lease still appends the receipts it came with", async () => {
    const { locks } = await setup();
    const first = await locks.acquire({ target: GATEWAY, owner: "alice", reason: "approve", proposalId: "p_1", now: T0 });
    const approved = { kind: "proposal.approved" as const, actor: "alice", proposal_id: "p_1", target: { repo: "iskra/ops", issue: 7 } };
    const again = await locks.acquire({ target: GATEWAY, owner: "alice", reason: "approve (retry)", proposalId: "p_1", now: T0 + 1000, with: [approved] });
    expect(again.reused).toBe(true);
    expect(again.lease.lock_id).toBe(first.lease.lock_id);
    expect(again.receipts.map((r) => [r.seq, r.kind])).toEqual([[2, "proposal.approved"]]);
  });
});

describe("postchecks", () => {
  it("by lock id end that lease, not another one with no proposal", async () => {
    const { locks } = await setup();
    const byHand = await locks.acquire({ target: NGINX, owner: "alice", reason: "by hand", now: T0 });
    const proposed = await locks.acquire({ target: GATEWAY, owner: "bob", reason: "approve", proposalId: "p_2", now: T0 });
    const passed = await locks.recordPostcheck({ lockId: proposed.lease.lock_id, result: "pass", actor: "patchwarden", now: T0 });
    expect(passed.released?.lock_id).toBe(proposed.lease.lock_id);
    expect((await locks.status(T0)).active.map((l) => l.lock_id)).toEqual([byHand.lease.lock_id]);
  });

  it("record the reason given, and the release names the postcheck's receipt", async () => {
    const { locks } = await setup();
    const { lease } = await locks.acquire({ target: GATEWAY, owner: "alice", reason: "approve", proposalId: "p_1", now: T0 });
    const passed = await locks.recordPostcheck({ proposalId: "p_1", result: "pass", actor: "patchwarden", reason: "gateway answers 200", now: T0 });
    expect(passed.receipts).toMatchObject([
      { seq: 2, kind: "postcheck", result: "pass", reason: "gateway answers 200", lock_id: lease.lock_id, proposal_id: "p_1" },
      { seq: 3, kind: "lock.released", reason: "postcheck passed (receipt 2)", postcheck_seq: 2, lock_id: lease.lock_id },
    ]);
  });
});

describe("lock status", () => {
  it("lists held and expired leases oldest first", async () => {
    const { dataDir, locks } = await setup();
    const a = await locks.acquire({ target: { host: "iskra-3" }, owner: "alice", reason: "a", now: T0, ttlMs: HOUR });
    const b = await locks.acquire({ target: { host: "iskra-4" }, owner: "bob", reason: "b", now: T0, ttlMs: HOUR });
    const c = await locks.acquire({ target: { host: "iskra-1" }, owner: "carol", reason: "c", now: T0, ttlMs: 3 * HOUR });
    const d = await locks.acquire({ target: { host: "iskra-2" }, owner: "dave", reason: "d", now: T0, ttlMs: 3 * HOUR });
    const status = await locks.status(T0 + 2 * HOUR);
    expect(status.active.map((l) => l.lock_id)).toEqual([c.lease.lock_id, d.lease.lock_id]);
    expect(status.expired.map((l) => l.lock_id)).toEqual([a.lease.lock_id, b.lease.lock_id]);
    const json = JSON.parse((await runCli(["lock", "status", "--json", "--data-dir", dataDir], { now: T0 + 2 * HOUR })).stdout) as { active: Array<{ lock_id: string }>; expired: Array<{ lock_id: string }> };
    expect(json.active.map((l) => l.lock_id)).toEqual([c.lease.lock_id, d.lease.lock_id]);
    expect(json.expired.map((l) => l.lock_id)).toEqual([a.lease.lock_id, b.lease.lock_id]);
  });

  it("a lease ends at its expiry instant: listed as expired then, held a millisecond before", async () => {
    const { locks } = await setup();
    const { lease } = await locks.acquire({ target: GATEWAY, owner: "alice", reason: "a", now: T0, ttlMs: HOUR });
    expect((await locks.status(T0 + HOUR - 1)).active.map((l) => l.lock_id)).toEqual([lease.lock_id]);
    const at = await locks.status(T0 + HOUR);
    expect(at.active).toEqual([]);
    expect(at.expired.map((l) => l.lock_id)).toEqual([lease.lock_id]);
  });

  it("with only expired leases says none is held, and lists them apart", async () => {
    const { dataDir, locks } = await setup();
    const { lease } = await locks.acquire({ target: { host: "iskra-2" }, owner: "bob", reason: "disk cleanup", now: T0, ttlMs: HOUR });
    const run = await runCli(["lock", "status", "--data-dir", dataDir], { now: T0 + 2 * HOUR });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        "no repair locks are held",
        "expired (hold nothing; recorded as expired when the target is next locked):",
        `  ${lease.lock_id}  host \`iskra-2\`, every service`,
        `      by bob since ${lease.acquired_at}, until ${lease.expires_at} (receipt 1): \`disk cleanup\``,
        "",
      ].join("\n"),
    );
  });
});

describe("recorded expiries", () => {
  it("end the lease: it is no longer listed, and not recorded as expired a second time", async () => {
    const { locks } = await setup();
    const old = await locks.acquire({ target: GATEWAY, owner: "alice", reason: "a", now: T0, ttlMs: HOUR });
    expect((await locks.expire(T0 + 2 * HOUR)).map((r) => [r.kind, "lock_id" in r ? r.lock_id : null])).toEqual([["lock.expired", old.lease.lock_id]]);
    expect(await locks.status(T0 + 2 * HOUR)).toMatchObject({ active: [], expired: [] });
    expect(await locks.expire(T0 + 3 * HOUR)).toEqual([]);
    const next = await locks.acquire({ target: GATEWAY, owner: "bob", reason: "b", now: T0 + 3 * HOUR });
    expect(next.receipts.map((r) => r.kind)).toEqual(["lock.acquired"]);
  });
});

describe("repair targets as locks compare them", () => {
  it("trim service names, and drop a blank one", () => {
    expect(normalizeRepairTarget({ host: "iskra-1", service: " openclaw-gateway " })).toEqual({ host: "iskra-1", service: "openclaw-gateway" });
    expect(normalizeRepairTarget({ host: "iskra-1", service: "  " })).toEqual({ host: "iskra-1" });
    expect(normalizeRepairTarget({ host: "", service: "nginx" })).toEqual({ service: "nginx" });
  });
});

describe("a refusal involving a lock on every target", () => {
  it("a candidate that names no target is refused by any lease, saying why", async () => {
    const { locks } = await setup();
    const held = await locks.acquire({ target: { host: "iskra-2" }, owner: "alice", reason: "disk cleanup", now: T0 });
    await expect(locks.acquire({ target: "every", owner: "bob", reason: "r", now: T0 })).rejects.toThrow(
      `every host, every service: the candidate names no target, so its repair may touch anything, and host \`iskra-2\`, every service is locked by \`alice\` until ${held.lease.expires_at} (lock \`${held.lease.lock_id}\`: \`disk cleanup\`); wait until it expires, or release it with \`patchwarden lock release ${held.lease.lock_id} --reason TEXT\``,
    );
  });

  it("a lock on every target refuses a named one, saying it holds everything", async () => {
    const { locks } = await setup();
    const held = await locks.acquire({ target: "every", owner: "alice", reason: "untargeted repair", now: T0 });
    await expect(locks.acquire({ target: { host: "iskra-1" }, owner: "bob", reason: "r", now: T0 })).rejects.toThrow(
      `host \`iskra-1\`, every service: locked by \`alice\` until ${held.lease.expires_at} (lock \`${held.lease.lock_id}\`: \`untargeted repair\`), a lock on every host and service (its repair names no target); wait until it expires, or release it with \`patchwarden lock release ${held.lease.lock_id} --reason TEXT\``,
    );
    await expect(locks.acquire({ target: "every", owner: "bob", reason: "r", now: T0 })).rejects.toThrow(
      `every host, every service: locked by \`alice\` until ${held.lease.expires_at} (lock \`${held.lease.lock_id}\`: \`untargeted repair\`); wait until it expires`,
    );
  });
});

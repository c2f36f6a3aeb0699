import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LockNotFoundError } from "../../src/locks/lock-errors.js";
import type { Lease } from "../../src/locks/lease-state.js";
import { RepairLocks } from "../../src/locks/repair-locks.js";
import { releaseProposalLocks } from "../../src/queue/release-proposal-locks.js";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";

const NOW = Date.parse("2026-11-21T12:00:00Z");
const A = "p_0000000000000000000a";
const B = "p_0000000000000000000b";

let dir: string;
let log: ReceiptLog;
let locks: RepairLocks;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-release-locks-"));
  log = await ReceiptLog.open(dir);
  locks = new RepairLocks(log);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("releasing the locks of a proposal that will not be carried out", () => {
  it("ends that proposal's leases only: another proposal's lease and an operator's own lock stay", async () => {
    const ownA = await locks.acquire({ target: { host: "alpha" }, owner: "piotr", reason: "approved a", proposalId: A, now: NOW });
    const ownB = await locks.acquire({ target: { host: "beta" }, owner: "piotr", reason: "approved b", proposalId: B, now: NOW });
    const manual = await locks.acquire({ target: { host: "gamma" }, owner: "alice", reason: "by hand", now: NOW });
    await releaseProposalLocks(locks, { proposalId: A, actor: "piotr", reason: "proposal rejected", now: NOW + 1000 });
    const held = (await locks.activeLeases(NOW + 1000)).map((lease) => lease.lock_id).sort();
    expect(held).toEqual([ownB.lease.lock_id, manual.lease.lock_id].sort());
    expect(held).not.toContain(ownA.lease.lock_id);
  });

  it("records a reason of more than 2,000 characters cut to 2,000, rather than failing to release", async () => {
    const own = await locks.acquire({ target: { host: "alpha" }, owner: "piotr", reason: "approved a", proposalId: A, now: NOW });
    await releaseProposalLocks(locks, { proposalId: A, actor: "piotr", reason: "r".repeat(2500), now: NOW + 1000 });
    expect(await locks.activeLeases(NOW + 1000)).toEqual([]);
    const receipts = (await readFile(log.paths.log, "utf8")).trim().split("\n").map((line) => JSON.parse(line) as { kind: string; lock_id?: string; reason?: string });
    const release = receipts.find((receipt) => receipt.kind === "lock.released");
    expect(release).toMatchObject({ lock_id: own.lease.lock_id, reason: "r".repeat(2000) });
  });

  it("leaves alone a lease that ended meanwhile (not found when released), and goes on to the next", async () => {
    const leases = [{ lock_id: "lk-000000000001", proposal_id: A }, { lock_id: "lk-000000000002", proposal_id: A }] as Lease[];
    const released: string[] = [];
    const stub = {
      activeLeases: async () => leases,
      release: async ({ lockId }: { lockId: string }) => {
        if (lockId === "lk-000000000001") throw new LockNotFoundError(lockId);
        released.push(lockId);
        return {};
      },
    } as unknown as RepairLocks;
    await expect(releaseProposalLocks(stub, { proposalId: A, actor: "piotr", reason: "x", now: NOW })).resolves.toBeUndefined();
    expect(released).toEqual(["lk-000000000002"]);
  });

  it("fails on any other error, so a lock that could not be released is not taken for released", async () => {
    const stub = {
      activeLeases: async () => [{ lock_id: "lk-000000000001", proposal_id: A }] as Lease[],
      release: async () => {
        throw new Error("disk full");
      },
    } as unknown as RepairLocks;
    await expect(releaseProposalLocks(stub, { proposalId: A, actor: "piotr", reason: "x", now: NOW })).rejects.toThrow("disk full");
  });
});

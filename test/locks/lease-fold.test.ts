import { generateKeyPairSync } from "node:crypto";
import { appendFile, readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { LockStateError } from "../../src/locks/lock-errors.js";
import { RepairLocks } from "../../src/locks/repair-locks.js";
import { makeHead, writeHead } from "../../src/receipts/head-file.js";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { signerFromKey } from "../../src/receipts/signing.js";
import { rehash, rejection, steppingClock, T0, tempDirs } from "../receipts/helpers.js";

/**
 * Lock state is folded from the receipt log. A lock receipt that does not carry the fields the fold
 * reads, or that does not link to the receipt before it, must stop every lock decision rather than
 * be folded in (or silently left out).
 */
const temp = tempDirs("lease-fold");
const GATEWAY = { host: "iskra-1", service: "openclaw-gateway" };

async function lines(log: ReceiptLog): Promise<string[]> {
  return (await readFile(log.paths.log, "utf8")).split("\n").filter(Boolean);
}

/** An unsigned log where alice holds GATEWAY (receipt 1), and one more line appended after the head, made from receipt 1. */
async function withAppended(change: (body: Record<string, unknown>, first: { seq: number; hash: string; lock_id: string }) => void) {
  const dataDir = await temp();
  const log = await ReceiptLog.open(dataDir, { clock: steppingClock(), durable: false });
  const { lease } = await new RepairLocks(log).acquire({ target: GATEWAY, owner: "alice", reason: "restart approved", proposalId: "p_1", now: T0 });
  const last = (await lines(log)).at(-1)!;
  const first = JSON.parse(last) as { seq: number; hash: string; lock_id: string };
  await appendFile(log.paths.log, `${rehash(last, (body) => {
    Object.assign(body, { seq: first.seq + 1, prev: first.hash });
    change(body, first);
  })}\n`);
  return { dataDir, log, lease };
}

const released = (body: Record<string, unknown>): Record<string, unknown> => {
  for (const key of ["owner", "expires_at"]) delete body[key];
  return Object.assign(body, { kind: "lock.released", reason: "done" });
};

describe("a lock receipt the fold cannot read", () => {
  const cases: Array<[string, (body: Record<string, unknown>) => void]> = [
    ["a lock.acquired with no owner", (body) => {
      body["lock_id"] = "lk-0000000000b2";
      delete body["owner"];
    }],
    ["a lock.acquired with no expiry", (body) => {
      body["lock_id"] = "lk-0000000000b2";
      delete body["expires_at"];
    }],
    ["a lock.acquired with a reason that is not text", (body) => Object.assign(body, { lock_id: "lk-0000000000b2", reason: 7 })],
    ["a lock.acquired whose target is a bare name", (body) => Object.assign(body, { lock_id: "lk-0000000000b2", repair_target: "iskra-2" })],
    ["a lock.acquired whose target host is not text", (body) => Object.assign(body, { lock_id: "lk-0000000000b2", repair_target: { host: 2 } })],
    ["a lock.released with no lock id", (body) => {
      released(body);
      delete body["lock_id"];
    }],
    ["a lock.released whose time is not text", (body) => Object.assign(released(body), { time: 5 })],
    ["a lock.released whose proposal id is not text", (body) => Object.assign(released(body), { proposal_id: 1 })],
    ["a lock receipt of a kind there is none of", (body) => Object.assign(released(body), { kind: "lock.stolen" })],
  ];
  for (const [name, change] of cases) {
    it(`${name} stops lock state being read, naming the receipt`, async () => {
      const { dataDir, log } = await withAppended((body) => void change(body));
      const reader = new RepairLocks(ReceiptLog.at(dataDir));
      await expect(reader.status(T0)).rejects.toThrow(LockStateError);
      await expect(reader.status(T0)).rejects.toThrow(
        `${log.paths.log} (byte ${(await readFile(log.paths.log, "utf8")).indexOf("\n") + 1}): receipt 2 is not a lock receipt its kind says it is; no lock is taken or released until \`patchwarden receipts verify\` passes`,
      );
    });
  }

  it("baseline: the same lock.released, whole, releases the lease", async () => {
    const { dataDir } = await withAppended((body) => void released(body));
    expect((await new RepairLocks(ReceiptLog.at(dataDir)).status(T0)).active).toEqual([]);
  });
});

describe("a lock receipt that does not link to the one before it", () => {
  it("a release with the next seq but another prev is refused: the chain is broken", async () => {
    const { dataDir, log } = await withAppended((body) => {
      released(body);
      body["prev"] = `sha256:${"0".repeat(64)}`;
    });
    const offset = (await readFile(log.paths.log, "utf8")).indexOf("\n") + 1;
    await expect(new RepairLocks(ReceiptLog.at(dataDir)).status(T0)).rejects.toThrow(
      `${log.paths.log} (byte ${offset}): receipt 2 does not follow receipt 1; the chain is broken; no lock is taken or released until \`patchwarden receipts verify\` passes`,
    );
  });
});

describe("a release after a signed head, naming the key but carrying no signature", () => {
  it("is refused by a reader without the key", async () => {
    const signer = signerFromKey(generateKeyPairSync("ed25519").privateKey);
    const dataDir = await temp();
    const log = await ReceiptLog.open(dataDir, { clock: steppingClock(), signer, durable: false });
    await new RepairLocks(log).acquire({ target: GATEWAY, owner: "alice", reason: "restart approved", now: T0 });
    const last = (await lines(log)).at(-1)!;
    const first = JSON.parse(last) as { seq: number; hash: string };
    await appendFile(log.paths.log, `${rehash(last, (body) => {
      released(body);
      Object.assign(body, { seq: first.seq + 1, prev: first.hash, key_id: signer.keyId });
    })}\n`);
    const keyless = new RepairLocks(ReceiptLog.at(dataDir));
    await expect(keyless.status(T0)).rejects.toThrow(LockStateError);
    await expect(keyless.status(T0)).rejects.toThrow(
      `receipt ${first.seq + 1} comes after receipt ${first.seq}, the last one receipts.head vouches for, and is not signed with ${signer.keyId}, the key this log is signed with; it was appended without the key`,
    );
  });
});

describe("a long-lived reader whose head is far behind what it has read", () => {
  // 70 receipts, then the head moved back to an earlier receipt (with that receipt's own hash).
  async function readerPastHead(headSeq: number) {
    const dataDir = await temp();
    const log = await ReceiptLog.open(dataDir, { clock: steppingClock(), durable: false });
    const locks = new RepairLocks(log);
    const { lease } = await locks.acquire({ target: GATEWAY, owner: "alice", reason: "restart approved", now: T0 });
    for (let n = 2; n <= 70; n++) await log.append(rejection(n));
    const reader = new RepairLocks(ReceiptLog.at(dataDir));
    expect((await reader.status(T0)).throughSeq).toBe(70);
    const at = JSON.parse((await lines(log))[headSeq - 1]!) as { seq: number; hash: string };
    await writeHead(log.paths.head, makeHead(at.seq, at.hash, "2026-11-21T05:10:00Z"), false);
    return { reader, lease, dataDir };
  }

  for (const headSeq of [1, 6, 7, 40]) {
    it(`reads the log again to check the head at receipt ${headSeq}, as a fresh reader does`, async () => {
      const { reader, lease, dataDir } = await readerPastHead(headSeq);
      const status = await reader.status(T0);
      expect(status.active.map((l) => l.lock_id)).toEqual([lease.lock_id]);
      expect(status.throughSeq).toBe(70);
      expect((await new RepairLocks(ReceiptLog.at(dataDir)).status(T0)).active.map((l) => l.lock_id)).toEqual([lease.lock_id]);
    });
  }
});

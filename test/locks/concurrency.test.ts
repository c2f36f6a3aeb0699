import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { RepairLocks } from "../../src/locks/repair-locks.js";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { tempDirs } from "../receipts/helpers.js";
import { startChild, waitForOutput } from "./spawn.js";

/**
 * Issue #5 §4: many processes approving and locking one target at the same instant; exactly one
 * holds the lock, every other is refused with the holder named, and the log says the same.
 */
const WORKER = fileURLToPath(new URL("./fixtures/acquire-worker.mjs", import.meta.url));
const temp = tempDirs("lock-race");

async function race(targets: Array<Record<string, string>>) {
  const dataDir = await temp();
  const go = join(dataDir, "go");
  const children = targets.map((target, i) => startChild(WORKER, [dataDir, `op${i}`, JSON.stringify(target), go]));
  // Every process opened the log and waits; then all are let go at once.
  await Promise.all(children.map((child) => waitForOutput(child, "ready", 20_000)));
  await writeFile(go, "");
  await Promise.all(children.map((child) => child.exited));
  const results = children.map((child, i) => ({ owner: `op${i}`, ...(JSON.parse(child.stdout().split("\n")[1]!) as { ok: boolean; name?: string; message?: string; lock?: string }) }));
  const receipts = (await readFile(join(dataDir, "receipts", "receipts.jsonl"), "utf8"))
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as { kind: string; actor: string; lock_id?: string });
  return { dataDir, results, receipts };
}

describe("many processes approving one target at once", () => {
  it("exactly one takes the lock; the others are refused naming it", { timeout: 60_000 }, async () => {
    const { dataDir, results, receipts } = await race(Array.from({ length: 12 }, () => ({ host: "iskra-1", service: "openclaw-gateway" })));
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    const winner = winners[0]!;
    for (const loser of results.filter((r) => !r.ok)) {
      expect(loser.name).toBe("TargetLockedError");
      expect(loser.message).toContain(`locked by \`${winner.owner}\``);
      expect(loser.message).toContain(`lock \`${winner.lock}\``);
    }
    // The log agrees: one lock, and one approval, both by the winner.
    expect(receipts.map((r) => [r.kind, r.actor])).toEqual([
      ["lock.acquired", winner.owner],
      ["proposal.approved", winner.owner],
    ]);
    const log = await ReceiptLog.open(dataDir);
    expect((await log.verify()).ok).toBe(true);
    expect((await new RepairLocks(log).activeLeases(Date.now())).map((l) => l.owner)).toEqual([winner.owner]);
  });

  it("holds for overlapping spellings of one target too", { timeout: 60_000 }, async () => {
    const targets = [{ host: "ISKRA-1." }, { host: "iskra-1", service: "gw" }, { host: "iskra-1" }, { service: "gw" }, { host: "Iskra-1", service: "gw" }, { host: "iskra-1." }];
    const { results, receipts } = await race(targets);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(receipts.filter((r) => r.kind === "lock.acquired")).toHaveLength(1);
    expect(results.filter((r) => !r.ok).every((r) => r.name === "TargetLockedError")).toBe(true);
  });
});

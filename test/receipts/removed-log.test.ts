import { appendFile, cp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { receiptPaths } from "../../src/receipts/data-dir.js";
import { ReceiptLog, ReceiptLogDamagedError } from "../../src/receipts/receipt-log.js";
import { stillHolds } from "../../src/receipts/seen-tip.js";
import { verifyReceiptLog } from "../../src/receipts/verify-log.js";
import { rejection, steppingClock, tempDirs, verdictReceipt } from "./helpers.js";

// A writer that has seen receipts never starts a new log where they were: that would hide the removal.
const temp = tempDirs("removed-log");

async function writerWith(count: number): Promise<ReceiptLog> {
  const log = await ReceiptLog.open(await temp(), { clock: steppingClock(), durable: false });
  for (let n = 1; n <= count; n++) await log.append(rejection(n));
  return log;
}

const verify = (log: ReceiptLog) => verifyReceiptLog({ log: log.paths.log, head: log.paths.head, requireHead: true });

describe("a writer that has seen receipts", () => {
  it("refuses when the log and its head were removed together, and writes nothing", async () => {
    const log = await writerWith(3);
    await rm(log.paths.dir, { recursive: true });
    await expect(log.append(rejection(4))).rejects.toThrow(ReceiptLogDamagedError);
    await expect(log.append(rejection(4))).rejects.toThrow(
      `${log.paths.dir}: receipts.jsonl and receipts.head are both gone, but this process has seen receipts 1–3 there; the receipt log was removed, and a folder that held receipts is not a new one: restore both from a backup, or have an operator accept the loss (\`patchwarden receipts reanchor --reason TEXT\`), then restart this process; nothing more is appended`,
    );
    expect((await readdir(log.paths.dir)).filter((name) => name.startsWith("receipts."))).toEqual(["receipts.lock"]);
    expect((await verify(log)).problem?.kind).toBe("log_missing");
  });

  it("refuses a log started again in its place by another process, though that one agrees with its head", async () => {
    const log = await writerWith(2);
    await rm(log.paths.dir, { recursive: true });
    // Another process, which never saw the old log, starts a new one: that much it cannot tell.
    const fresh = await ReceiptLog.open(log.paths.dataDir, { durable: false });
    await fresh.append(rejection(9));
    expect((await verify(log)).ok).toBe(true);
    await expect(log.append(rejection(3))).rejects.toThrow(/receipts\.jsonl: no longer holds receipt 2 \(sha256:[0-9a-f]{64}\) where this process saw it; the log was cut, or removed and started again, since/);
    // Also when the new log is only anchored, not yet written.
    const other = await writerWith(1);
    await rm(other.paths.dir, { recursive: true });
    await ReceiptLog.open(other.paths.dataDir, { durable: false });
    await expect(other.append(rejection(2))).rejects.toThrow(/receipts\.jsonl: no longer holds receipt 1 /);
  });

  it("sets no torn tail aside on a log it refuses", async () => {
    const log = await writerWith(2);
    await rm(log.paths.dir, { recursive: true });
    const fresh = await ReceiptLog.open(log.paths.dataDir, { durable: false });
    await fresh.append(rejection(9));
    await appendFile(log.paths.log, '{"actor":"bo');
    const before = await readFile(log.paths.log, "utf8");
    await expect(log.append(rejection(3))).rejects.toThrow(/no longer holds receipt 2/);
    expect(await readFile(log.paths.log, "utf8")).toBe(before);
  });

  it("goes on when the very files are put back, and after re-anchoring a cut log itself", async () => {
    const log = await writerWith(3);
    const saved = `${log.paths.dir}.saved`;
    await cp(log.paths.dir, saved, { recursive: true });
    await rm(log.paths.dir, { recursive: true });
    await expect(log.append(rejection(4))).rejects.toThrow(/both gone/);
    await rm(log.paths.dir, { recursive: true, force: true });
    await cp(saved, log.paths.dir, { recursive: true });
    await expect(log.append(rejection(4))).resolves.toMatchObject({ seq: 4 });
    const text = await readFile(log.paths.log, "utf8");
    await writeFile(log.paths.log, `${text.split("\n").slice(0, 2).join("\n")}\n`);
    await expect(log.append(rejection(5))).rejects.toThrow(/ends at receipt 2, but receipts\.head records receipt 4/);
    // The operator's acceptance, made by this very process: what it saw before binds it no more.
    await expect(log.reanchor("alice", "receipts 3–4 lost; checked")).resolves.toMatchObject({ seq: 3 });
    await expect(log.append(rejection(5))).resolves.toMatchObject({ seq: 4 });
  });

  it("a fresh writer still anchors a folder never used, and stillHolds reads a receipt longer than its first window", async () => {
    const dataDir = await temp();
    const log = await ReceiptLog.open(dataDir, { durable: false });
    expect((await verify(log)).ok).toBe(true);
    // 150 reason codes of 40 letters: a receipt of about 6 KB.
    const long = await log.append({ ...verdictReceipt(1), reason_codes: Array.from({ length: 150 }, (_, i) => `code_${String(i).padStart(35, "0")}`) });
    const end = (await readFile(receiptPaths(dataDir).log)).length;
    expect(end).toBeGreaterThan(5000);
    expect(await stillHolds(log.paths.log, { seq: 1, hash: long.hash, end })).toBe(true);
    expect(await stillHolds(log.paths.log, { seq: 1, hash: long.hash, end: end - 1 })).toBe(false);
    expect(await stillHolds(log.paths.log, { seq: 2, hash: long.hash, end })).toBe(false);
  });
});

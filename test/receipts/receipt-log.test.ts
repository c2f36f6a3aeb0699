import { appendFile, readdir, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { readHead } from "../../src/receipts/head-file.js";
import { GENESIS_HASH } from "../../src/receipts/receipt-schema.js";
import { ReceiptLog, ReceiptLogDamagedError, type RepairReport } from "../../src/receipts/receipt-log.js";
import { rejection, steppingClock, tempDirs, verdictReceipt } from "./helpers.js";

const temp = tempDirs("log");

async function logWith(count: number, options: { durable?: boolean } = {}): Promise<ReceiptLog> {
  const log = await ReceiptLog.open(await temp(), { clock: steppingClock(), durable: options.durable ?? false });
  for (let i = 1; i <= count; i++) await log.append(rejection(i));
  return log;
}

async function lines(log: ReceiptLog): Promise<string[]> {
  return (await readFile(log.paths.log, "utf8")).split("\n").filter((line) => line !== "");
}

describe("appending receipts", () => {
  it("numbers receipts from 1, chains each to the one before, and moves the head", async () => {
    const log = await ReceiptLog.open(await temp(), { clock: steppingClock() });
    const first = await log.append(rejection(1));
    const [second, third] = await log.appendAll([verdictReceipt(2), rejection(3)]);
    expect([first.seq, second!.seq, third!.seq]).toEqual([1, 2, 3]);
    expect(first.prev).toBe(GENESIS_HASH);
    expect(second!.prev).toBe(first.hash);
    expect(third!.prev).toBe(second!.hash);
    // 05:00:00 went to the empty head written when the log was opened.
    expect(first.time).toBe("2026-11-21T05:00:01.000Z");
    const head = await readHead(log.paths.head);
    expect(head).toMatchObject({ ok: true, head: { seq: 3, hash: third!.hash } });
    expect((await lines(log)).map((line) => JSON.parse(line).seq)).toEqual([1, 2, 3]);
    expect((await log.verify()).ok).toBe(true);
  });

  it("anchors an empty log at seq 0 when it is opened", async () => {
    const log = await ReceiptLog.open(await temp());
    expect(await readHead(log.paths.head)).toMatchObject({ ok: true, head: { seq: 0, hash: GENESIS_HASH } });
  });

  it("keeps seqs contiguous when one process appends from many tasks at once", async () => {
    const log = await logWith(0);
    await Promise.all(Array.from({ length: 40 }, (_, i) => log.append(rejection(i + 1))));
    const seqs = (await lines(log)).map((line) => JSON.parse(line).seq);
    expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect((await log.verify()).ok).toBe(true);
  });

  it("writes nothing when any draft of a batch is invalid", async () => {
    const log = await logWith(2);
    await expect(log.appendAll([rejection(3), { ...rejection(4), actor: "" }])).rejects.toThrow(/receipt\.actor/);
    expect(await lines(log)).toHaveLength(2);
  });

  it("continues the chain across processes' reopenings", async () => {
    const log = await logWith(3);
    const again = await ReceiptLog.open(log.paths.dataDir, { durable: false });
    expect((await again.append(rejection(4))).seq).toBe(4);
    expect((await again.verify()).ok).toBe(true);
  });
});

describe("a crash mid-append (torn tail)", () => {
  it("sets an unfinished final line aside, truncates to the last whole receipt, and says so", async () => {
    const log = await logWith(3);
    const torn = '{"actor":"alice","kind":"proposal.rej';
    await appendFile(log.paths.log, torn);
    const verified = await log.verify();
    expect(verified.ok).toBe(true);
    expect(verified.tornTail).toEqual({ seq: 4, line: 4 });

    const reports: RepairReport[] = [];
    const reopened = await ReceiptLog.open(log.paths.dataDir, { durable: false, clock: steppingClock(), onRepair: (report) => reports.push(report) });
    expect(reopened.repaired).toMatchObject({ afterSeq: 3, bytes: torn.length });
    expect(reports).toHaveLength(1);
    expect(reports[0]!.message).toMatch(/receipts\.jsonl: the final line has no newline .* set aside in .*torn-.*-after-3\.jsonl; the log now ends at receipt 3/);
    expect(await readFile(reports[0]!.setAside, "utf8")).toBe(torn);
    expect(await lines(reopened)).toHaveLength(3);
    expect((await reopened.append(rejection(4))).seq).toBe(4);
    expect((await reopened.verify()).ok).toBe(true);
  });

  it("sets aside a final line that is whole but does not hash, when the head does not cover it", async () => {
    const log = await logWith(2);
    const head = await readFile(log.paths.head);
    await log.append(rejection(3));
    // The head update of receipt 3 never happened, and its bytes are garbled: both are what a crash leaves.
    await writeFile(log.paths.head, head);
    const text = await readFile(log.paths.log, "utf8");
    await writeFile(log.paths.log, text.replace(/not now \(3\)/, "not now (X)"));
    const reopened = await ReceiptLog.open(log.paths.dataDir, { durable: false });
    expect(reopened.repaired?.afterSeq).toBe(2);
    expect(await lines(reopened)).toHaveLength(2);
  });

  it("repairs when the next append comes, too, for a process that never reopened", async () => {
    const log = await logWith(2);
    await appendFile(log.paths.log, '{"partial');
    expect((await log.append(rejection(3))).seq).toBe(3);
    expect((await readdir(log.paths.dir)).filter((name) => name.startsWith("torn-"))).toHaveLength(1);
    expect((await log.verify()).ok).toBe(true);
  });

  it("verifies with the head one append behind (a crash between the append and the head update)", async () => {
    const log = await logWith(2);
    const head = await readFile(log.paths.head);
    await log.append(rejection(3));
    await writeFile(log.paths.head, head);
    const report = await log.verify();
    expect(report.ok).toBe(true);
    expect(report.notices.join("\n")).toMatch(/1 receipt\(s\) behind/);
    expect((await log.append(rejection(4))).seq).toBe(4);
  });
});

describe("refusing to append to a log that was changed", () => {
  it("refuses when receipts were removed from the end (the head is ahead)", async () => {
    const log = await logWith(4);
    const text = await readFile(log.paths.log, "utf8");
    await writeFile(log.paths.log, text.split("\n").slice(0, 2).join("\n") + "\n");
    await expect(log.append(rejection(5))).rejects.toThrow(ReceiptLogDamagedError);
    await expect(log.append(rejection(5))).rejects.toThrow(/ends at receipt 2, but receipts\.head records receipt 4; receipts were removed from the end/);
    await expect(ReceiptLog.open(log.paths.dataDir)).rejects.toThrow(/patchwarden receipts verify/);
  });

  it("refuses to repair a final line the head covers: it was whole once", async () => {
    const log = await logWith(3);
    await truncate(log.paths.log, (await readFile(log.paths.log)).length - 20);
    await expect(log.append(rejection(4))).rejects.toThrow(/records receipt 3, so receipt 3 was whole once; it was changed or cut after it was written/);
  });

  it("refuses when the line before a bad final line is bad too (not a torn write)", async () => {
    const log = await logWith(3);
    const text = await readFile(log.paths.log, "utf8");
    await writeFile(log.paths.log, text.replace("not now (2)", "not now (X)").replace("not now (3)", "not now (Y)"));
    await expect(log.append(rejection(4))).rejects.toThrow(/the line before the final one hash does not match/);
  });

  it("refuses when the head is missing while the log holds receipts, and when the log is missing", async () => {
    const log = await logWith(2);
    await rm(log.paths.head);
    await expect(log.append(rejection(3))).rejects.toThrow(/receipts\.head: missing while the log holds 2 receipt/);
    const other = await logWith(2);
    await rm(other.paths.log);
    await expect(other.append(rejection(3))).rejects.toThrow(/receipts\.jsonl: missing, but receipts\.head records receipt 2; the log was removed/);
  });

  it("refuses when the head's hash is not the last receipt's", async () => {
    const log = await logWith(2);
    const head = JSON.parse(await readFile(log.paths.head, "utf8"));
    await writeFile(log.paths.head, JSON.stringify({ ...head, hash: `sha256:${"1".repeat(64)}` }));
    await expect(log.append(rejection(3))).rejects.toThrow(/receipt 2 does not have the hash receipts\.head records/);
  });
});

describe("re-anchoring", () => {
  it("accepts an intact chain whose head was lost, with a receipt recording it", async () => {
    const log = await logWith(3);
    await rm(log.paths.head);
    const receipt = await ReceiptLog.at(log.paths.dataDir, { durable: false }).reanchor("alice", "head lost in a restore; log checked by hand");
    expect(receipt).toMatchObject({ kind: "log.reanchored", seq: 4, previous_head_seq: null, actor: "alice" });
    expect((await log.verify()).ok).toBe(true);
    expect((await log.append(rejection(5))).seq).toBe(5);
  });

  it("records the old head after a truncation an operator accepts", async () => {
    const log = await logWith(4);
    const text = await readFile(log.paths.log, "utf8");
    await writeFile(log.paths.log, text.split("\n").slice(0, 2).join("\n") + "\n");
    const receipt = await log.reanchor("alice", "receipts 3-4 lost with the old disk");
    expect(receipt).toMatchObject({ seq: 3, previous_head_seq: 4 });
    expect((await log.verify()).ok).toBe(true);
  });

  it("refuses a chain that is broken inside", async () => {
    const log = await logWith(4);
    const text = (await readFile(log.paths.log, "utf8")).split("\n");
    await writeFile(log.paths.log, [text[0], text[2], text[3], ""].join("\n"));
    await expect(log.reanchor("alice", "try")).rejects.toThrow(/line 2: .*receipt 2 .*removed; the chain itself is broken/);
  });
});

import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { makeHead, writeHead } from "../../src/receipts/head-file.js";
import { MAX_HEAD_LAG, ReceiptLog } from "../../src/receipts/receipt-log.js";
import { verifyReceiptLog } from "../../src/receipts/verify-log.js";
import { rejection, steppingClock, tempDirs } from "./helpers.js";

/**
 * A head behind the log is what a crash between an append and the head update leaves, and the next
 * append moves it. Every append rewrites receipts.head, so a head behind that records a false hash
 * must be refused before that: afterwards `receipts verify` would see a consistent head and say
 * `intact`. And a head further behind than an interrupted append leaves it was put back, not left.
 */
const temp = tempDirs("head-behind");
const FALSE_HASH = `sha256:${"1".repeat(64)}`;
const attempt = (run: () => Promise<unknown>) => run().then(() => "appended", (error: Error) => `${error.name}: ${error.message}`);

async function hashOf(log: ReceiptLog, seq: number): Promise<string> {
  const line = (await readFile(log.paths.log, "utf8")).split("\n")[seq - 1]!;
  return (JSON.parse(line) as { hash: string }).hash;
}

describe("a fresh writer and a head behind the log", () => {
  it("refuses a head two receipts behind whose hash is not that receipt's, leaving the evidence for verify", async () => {
    const dataDir = await temp();
    const log = await ReceiptLog.open(dataDir, { clock: steppingClock(), durable: false });
    await log.appendAll([rejection(1), rejection(2), rejection(3)]);
    await log.appendAll([rejection(4), rejection(5)]);
    await writeHead(log.paths.head, makeHead(3, FALSE_HASH, "2026-11-21T05:00:00.000Z"), false);
    expect((await verifyReceiptLog({ log: log.paths.log, head: log.paths.head, requireHead: true })).problem).toMatchObject({ kind: "head_mismatch", seq: 3 });

    const appended = await attempt(async () => (await ReceiptLog.open(dataDir, { durable: false })).append(rejection(6)));
    expect(appended).toMatch(/^ReceiptLogDamagedError: .*receipts\.jsonl: line 3: receipt 3 hashes to sha256:[0-9a-f]{64}, but receipts\.head records sha256:1{64} for it; .*nothing more is appended until an operator runs `patchwarden receipts verify`/);
    expect((await verifyReceiptLog({ log: log.paths.log, head: log.paths.head, requireHead: true })).problem).toMatchObject({ kind: "head_mismatch", seq: 3 });
  });

  it("accepts a head a whole batch behind with the right hash (a crash before the head moved), and moves it", async () => {
    const dataDir = await temp();
    const log = await ReceiptLog.open(dataDir, { clock: steppingClock(), durable: false });
    await log.appendAll([rejection(1), rejection(2)]);
    const head = await readFile(log.paths.head, "utf8");
    await log.appendAll([rejection(3), rejection(4), rejection(5)]);
    await writeFile(log.paths.head, head);

    const [sixth] = await ReceiptLog.open(dataDir, { durable: false }).then((fresh) => fresh.appendAll([rejection(6)]));
    expect(sixth!.seq).toBe(6);
    expect(await verifyReceiptLog({ log: log.paths.log, head: log.paths.head, requireHead: true })).toMatchObject({ ok: true, lastSeq: 6, head: { seq: 6 } });
  });

  it(`refuses a head more than ${MAX_HEAD_LAG} receipts behind, which no interrupted append leaves, until an operator re-anchors`, async () => {
    const dataDir = await temp();
    const log = await ReceiptLog.open(dataDir, { clock: steppingClock(), durable: false });
    await log.append(rejection(1));
    const head = await readFile(log.paths.head, "utf8");
    // Longer than one write carries: written in parts, each anchored.
    await log.appendAll(Array.from({ length: MAX_HEAD_LAG + 1 }, (_, i) => rejection(i + 2)));
    expect(JSON.parse(await readFile(log.paths.head, "utf8"))).toMatchObject({ seq: MAX_HEAD_LAG + 2 });
    await writeFile(log.paths.head, head);

    const appended = await attempt(async () => (await ReceiptLog.open(dataDir, { durable: false })).append(rejection(0)));
    expect(appended).toBe(
      `ReceiptLogDamagedError: ${log.paths.head}: records receipt 1, ${MAX_HEAD_LAG + 1} receipts behind the log's end (receipt ${MAX_HEAD_LAG + 2}); an interrupted append leaves it at most ${MAX_HEAD_LAG} behind, so it was replaced by an older head: check the log with \`patchwarden receipts verify\`, and if you accept it as it is, \`patchwarden receipts reanchor --reason TEXT\`; nothing more is appended until an operator runs \`patchwarden receipts verify\` and repairs or re-anchors the log`,
    );
    await ReceiptLog.at(dataDir, { durable: false }).reanchor("piotr", "head put back from an old backup; log checked");
    expect(await attempt(async () => (await ReceiptLog.open(dataDir, { durable: false })).append(rejection(0)))).toBe("appended");
  });
});

describe("a long-lived writer and a head behind what it verified", () => {
  it("checks the head against the hashes it kept, and refuses one with another hash", async () => {
    const dataDir = await temp();
    const server = await ReceiptLog.open(dataDir, { clock: steppingClock(), durable: false });
    for (let n = 1; n <= 5; n++) await server.append(rejection(n));
    const realFour = await hashOf(server, 4);

    await writeHead(server.paths.head, makeHead(4, realFour, "2026-11-21T05:00:00.000Z"), false);
    expect(await attempt(() => server.append(rejection(6)))).toBe("appended");

    await writeHead(server.paths.head, makeHead(4, FALSE_HASH, "2026-11-21T05:00:00.000Z"), false);
    expect(await attempt(() => server.append(rejection(7)))).toMatch(/^ReceiptLogDamagedError: .*receipts\.jsonl: receipt 4 does not have the hash receipts\.head records for it/);
    await writeHead(server.paths.head, makeHead(6, FALSE_HASH, "2026-11-21T05:00:00.000Z"), false);
    expect(await attempt(() => server.append(rejection(7)))).toMatch(/^ReceiptLogDamagedError: .*receipt 6 does not have the hash receipts\.head records for it/);
  });
});

import { appendFile, readFile, readdir, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { rejection, steppingClock, tempDirs } from "./helpers.js";

/**
 * "Anything else that is wrong is tampering, and is never repaired: a bad line that is not the last
 * … Every append then refuses" (audit-and-locks.md), and `ReceiptLog.open` "throws on a changed log
 * (do not start)" (architecture.md). The end of the log is not enough to tell: a writer verifies the
 * whole chain once when it opens the log, then, on each append, what follows the last receipt it
 * verified or wrote. Appends that fold no lock state (verdicts, approvals of a blocked verdict or a
 * what-if) refuse too.
 */
const temp = tempDirs("whole-chain");
const attempt = (run: () => Promise<unknown>) => run().then(() => "appended", (error: Error) => `${error.name}: ${error.message}`);

async function logWith(count: number): Promise<{ dataDir: string; log: ReceiptLog }> {
  const dataDir = await temp();
  const log = await ReceiptLog.open(dataDir, { clock: steppingClock(), durable: false });
  for (let n = 1; n <= count; n++) await log.append(rejection(n));
  return { dataDir, log };
}

describe("opening a log changed before its last lines", () => {
  it("refuses a log whose receipt 2 of 5 was changed, naming it", async () => {
    const { dataDir, log } = await logWith(5);
    await writeFile(log.paths.log, (await readFile(log.paths.log, "utf8")).replace("not now (2)", "not now (X)"));
    expect((await log.verify()).problem).toMatchObject({ kind: "changed", seq: 2 });
    expect(await attempt(() => ReceiptLog.open(dataDir, { durable: false }))).toBe(
      `ReceiptLogDamagedError: ${log.paths.log}: line 2: hash does not match the receipt's content; receipt 2 was changed after it was written; nothing more is appended until an operator runs \`patchwarden receipts verify\` and repairs or re-anchors the log`,
    );
  });

  it("names a removed receipt as verify does, and changes nothing: a torn tail after the damage stays where it is", async () => {
    const { dataDir, log } = await logWith(5);
    const lines = (await readFile(log.paths.log, "utf8")).split("\n");
    await writeFile(log.paths.log, [...lines.slice(0, 1), ...lines.slice(2)].join("\n"));
    await appendFile(log.paths.log, '{"actor":"bo');
    const before = await readFile(log.paths.log, "utf8");
    expect(await attempt(() => ReceiptLog.open(dataDir, { durable: false }))).toMatch(/: line 2: holds receipt 3 where receipt 2 belongs, and receipt 2 is nowhere in the log; it was removed; nothing more is appended/);
    expect(await readFile(log.paths.log, "utf8")).toBe(before);
    expect((await readdir(log.paths.dir)).filter((name) => name.startsWith("torn-"))).toEqual([]);
  });
});

describe("a long-lived writer", () => {
  it("checks what other processes appended since its last receipt, not only the last two lines", async () => {
    const { dataDir, log: server } = await logWith(3);
    const cli = await ReceiptLog.open(dataDir, { clock: steppingClock(), durable: false });
    for (let n = 4; n <= 7; n++) await cli.append(rejection(n));
    await writeFile(server.paths.log, (await readFile(server.paths.log, "utf8")).replace("not now (5)", "not now (X)"));
    expect(await attempt(() => server.append(rejection(8)))).toMatch(/receipts\.jsonl: hash does not match the receipt's content; receipt 5 was changed after it was written; nothing more is appended/);
  });

  it("goes on appending after what it verified, and after what others appended intact", async () => {
    const { dataDir, log: server } = await logWith(3);
    const cli = await ReceiptLog.open(dataDir, { clock: steppingClock(), durable: false });
    await cli.appendAll([rejection(4), rejection(5)]);
    expect((await server.append(rejection(6))).seq).toBe(6);
    expect(await server.verify()).toMatchObject({ ok: true, lastSeq: 6 });
  });
});

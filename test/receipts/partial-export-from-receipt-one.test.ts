import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { verifyReceiptLog } from "../../src/receipts/verify-log.js";
import { rehash, rejection, steppingClock, tempDirs } from "./helpers.js";

const temp = tempDirs("partial-one");

async function exportedLines(count: number) {
  const log = await ReceiptLog.open(await temp(), { clock: steppingClock(), durable: false });
  for (let i = 1; i <= count; i++) await log.append(rejection(i));
  return { dir: log.paths.dataDir, lines: (await readFile(log.paths.log, "utf8")).split("\n").slice(0, -1) };
}

describe("--partial on a log that starts at receipt 1", () => {
  it("still checks that receipt 1 chains to the start of the log", async () => {
    const { dir, lines } = await exportedLines(3);
    // Receipt 1 re-hashed to link to something before it: a chain rebuilt from a forged start.
    let previous = `sha256:${"ab".repeat(32)}`;
    const forged = lines.map((line) => {
      const out = rehash(line, (body) => (body["prev"] = previous));
      previous = (JSON.parse(out) as { hash: string }).hash;
      return out;
    });
    const file = join(dir, "export.jsonl");
    await writeFile(file, `${forged.join("\n")}\n`);
    const report = await verifyReceiptLog({ log: file, head: null, requireHead: false, partial: true });
    expect(report.ok).toBe(false);
    expect(report.problem).toMatchObject({ kind: "rewritten", seq: 1, line: 1, message: "receipt 1 does not chain to the start of the log; it was changed and re-hashed after it was written" });
  });

  it("passes an intact log from receipt 1 without calling it a partial export", async () => {
    const { dir, lines } = await exportedLines(3);
    const file = join(dir, "export.jsonl");
    await writeFile(file, `${lines.join("\n")}\n`);
    const report = await verifyReceiptLog({ log: file, head: null, requireHead: false, partial: true });
    expect(report).toMatchObject({ ok: true, receipts: 3, firstSeq: 1, lastSeq: 3 });
    expect(report.notices.join("\n")).not.toMatch(/partial export/);
  });
});

import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { rehash, rejection, steppingClock, tempDirs } from "./helpers.js";

const temp = tempDirs("rewritten-copy");

async function sixReceipts() {
  const log = await ReceiptLog.open(await temp(), { clock: steppingClock(), durable: false });
  for (let i = 1; i <= 6; i++) await log.append(rejection(i));
  const lines = (await readFile(log.paths.log, "utf8")).split("\n").slice(0, -1);
  return { log, lines };
}

describe("a second, different receipt with the seq of the one before it", () => {
  it("is named as receipts out of order, not as a copied receipt, and points at the line where it sits", async () => {
    const { log, lines } = await sixReceipts();
    // Receipt 3 again after receipt 3, but with other content (same seq and prev, its own hash).
    const forged = rehash(lines[2]!, (body) => (body["reason"] = "a second receipt 3"));
    await writeFile(log.paths.log, [...lines.slice(0, 3), forged, ...lines.slice(3)].join("\n") + "\n");
    const report = await log.verify();
    expect(report.ok).toBe(false);
    expect(report.problem).toEqual({
      kind: "reordered",
      seq: 4,
      line: 4,
      message: "holds receipt 3 where receipt 4 belongs; the receipts were reordered",
    });
  });

  it("an exact copy of the receipt before is still named a copy", async () => {
    const { log, lines } = await sixReceipts();
    await writeFile(log.paths.log, [...lines.slice(0, 3), lines[2]!, ...lines.slice(3)].join("\n") + "\n");
    expect((await log.verify()).problem).toEqual({ kind: "duplicated", seq: 4, line: 4, message: "repeats receipt 3; a receipt was copied into the log" });
  });
});

import { appendFile, readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { ReceiptLog, ReceiptLogDamagedError } from "../../src/receipts/receipt-log.js";
import { rehash, rejection, steppingClock, tempDirs } from "./helpers.js";

const temp = tempDirs("foreign-unchained");

describe("an append after a receipt someone else added that does not chain to this process's last one", () => {
  it("is refused, naming the added receipt as the one that was changed, not the one this process wrote", async () => {
    const log = await ReceiptLog.open(await temp(), { clock: steppingClock(), durable: false });
    for (let i = 1; i <= 6; i++) await log.append(rejection(i));
    const lines = (await readFile(log.paths.log, "utf8")).split("\n").slice(0, -1);
    const fifthHash = (JSON.parse(lines[4]!) as { hash: string }).hash;
    // A receipt 7 that links to receipt 5 instead of 6 (the head still records 6: one behind is allowed).
    const seventh = rehash(lines[5]!, (body) => {
      body["seq"] = 7;
      body["prev"] = fifthHash;
    });
    await appendFile(log.paths.log, `${seventh}\n`);
    const before = await readFile(log.paths.log, "utf8");

    const refused = await log.append(rejection(8)).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(ReceiptLogDamagedError);
    const message = (refused as Error).message;
    expect(message).toContain("receipt 7 does not chain to receipt 6; it was changed and re-hashed after it was written");
    expect(message).not.toContain("receipt 6 was changed");
    // Nothing was appended.
    expect(await readFile(log.paths.log, "utf8")).toBe(before);
  });
});

import { readFile, rm } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { ReceiptLog, ReceiptLogDamagedError } from "../../src/receipts/receipt-log.js";
import { rejection, steppingClock, T0, tempDirs } from "./helpers.js";

const temp = tempDirs("log-replaced");

describe("a log removed and started again under a running writer, to the same length", () => {
  it("is refused on the writer's next append although the receipt where it last wrote has the same seq and size", async () => {
    const dataDir = await temp();
    const writer = await ReceiptLog.open(dataDir, { clock: steppingClock(), durable: false });
    for (let n = 1; n <= 3; n++) await writer.append(rejection(n));
    const first = await readFile(writer.paths.log, "utf8");

    // Someone deletes both files and writes the same drafts again, an hour later: same seqs, same sizes, other hashes.
    await rm(writer.paths.log);
    await rm(writer.paths.head);
    const other = await ReceiptLog.open(dataDir, { clock: steppingClock(T0 + 3_600_000), durable: false });
    for (let n = 1; n <= 3; n++) await other.append(rejection(n));
    const replaced = await readFile(writer.paths.log, "utf8");
    expect(replaced.length).toBe(first.length);
    expect(replaced).not.toBe(first);

    const refused = await writer.append(rejection(4)).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(ReceiptLogDamagedError);
    expect((refused as Error).message).toMatch(/receipts\.jsonl: no longer holds receipt 3 \(sha256:[0-9a-f]{64}\) where this process saw it; the log was cut, or removed and started again/);
    expect(await readFile(writer.paths.log, "utf8")).toBe(replaced);
  });
});

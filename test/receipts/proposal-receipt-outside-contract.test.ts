import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { makeHead, writeHead } from "../../src/receipts/head-file.js";
import { receiptsOfProposal } from "../../src/receipts/proposal-receipts.js";
import { ReceiptLog, ReceiptLogDamagedError } from "../../src/receipts/receipt-log.js";
import { bodyOf, rejection, sealText as seal, steppingClock, tempDirs } from "./helpers.js";

const temp = tempDirs("proposal-contract");

describe("a receipt of the proposal whose chain holds but that does not follow the receipt contract", () => {
  it("throws naming its line, rather than being skipped as if the proposal had no such receipt", async () => {
    const log = await ReceiptLog.open(await temp(), { clock: steppingClock(), durable: false });
    for (let n = 1; n <= 3; n++) await log.append(rejection(n));
    const lines = (await readFile(log.paths.log, "utf8")).split("\n").slice(0, -1);
    // Receipt 2 of a kind the contract does not have, sealed and chained as a writer would (head included).
    const second = seal(bodyOf(lines[1]!).replace('"kind":"proposal.rejected"', '"kind":"proposal.retracted"'));
    const third = seal(bodyOf(lines[2]!).replace(/"prev":"sha256:[0-9a-f]{64}"/, `"prev":"${second.hash}"`));
    await writeFile(log.paths.log, [lines[0], second.line, third.line].join("\n") + "\n");
    await writeHead(log.paths.head, makeHead(3, third.hash, "2026-11-21T05:00:10.000Z"), false);
    expect((await log.verify()).ok).toBe(true);

    const result = await receiptsOfProposal(log.paths.log, rejection(2).proposal_id).then(
      (found) => found,
      (error: unknown) => error,
    );
    expect(result).toBeInstanceOf(ReceiptLogDamagedError);
    expect((result as Error).message).toMatch(/receipts\.jsonl: line 2: does not follow the receipt contract: /);
  });
});

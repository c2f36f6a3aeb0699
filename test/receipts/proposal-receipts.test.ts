import { appendFile, readFile, rm, stat, writeFile } from "node:fs/promises";
import { afterEach, describe, expect, it, vi } from "vitest";
import { receiptsOfProposal } from "../../src/receipts/proposal-receipts.js";
import { ReceiptLog, ReceiptLogDamagedError } from "../../src/receipts/receipt-log.js";
import { rehash, rejection, steppingClock, tempDirs, verdictReceipt } from "./helpers.js";

/**
 * receiptsOfProposal runs on every approval (beforeApprove, beforePosted), every rejection and every
 * recovered server job, and what it finds decides: a rejection recorded, the post a proposal was
 * proposed with. So it reads the log as verify does, in one linear pass, and never skips a line it
 * cannot read: that line may be the very receipt asked for.
 */
const temp = tempDirs("proposal-receipts");

afterEach(() => {
  vi.restoreAllMocks();
});

async function logWith(count: number): Promise<ReceiptLog> {
  const log = await ReceiptLog.open(await temp(), { clock: steppingClock(), durable: false });
  for (let n = 1; n <= count; n++) await log.append(rejection(n));
  return log;
}

describe("receiptsOfProposal reads the log in one linear pass", () => {
  it("searches each byte of the log a bounded number of times, not on to the end of its read buffer for every line", async () => {
    const log = await ReceiptLog.open(await temp(), { clock: steppingClock(), durable: false });
    // ~3,000 receipts, ~2 MB: more than one 1 MiB chunk of scanLines.
    for (let batch = 0; batch < 12; batch++) await log.appendAll(Array.from({ length: 250 }, (_, i) => verdictReceipt(batch * 250 + i)));
    const wanted = rejection(7);
    await log.append(wanted);
    const size = (await stat(log.paths.log)).size;

    // Count the bytes Buffer#indexOf is asked to search for a multi-byte needle.
    let searched = 0;
    const original = Buffer.prototype.indexOf;
    vi.spyOn(Buffer.prototype, "indexOf").mockImplementation(function (this: Buffer, value: unknown, byteOffset?: unknown, encoding?: unknown) {
      if (Buffer.isBuffer(value) && value.length > 1) searched += this.length - (typeof byteOffset === "number" ? byteOffset : 0);
      return original.call(this, value as Buffer, byteOffset as number, encoding as BufferEncoding);
    });
    const found = await receiptsOfProposal(log.paths.log, wanted.proposal_id);
    vi.restoreAllMocks();

    expect(found.map((receipt) => receipt.kind)).toEqual(["proposal.rejected"]);
    // A linear scan looks at each byte a few times (the per-line checks); searching to the end of the buffer was ~1000× the file.
    expect(searched).toBeLessThan(8 * size);
  });
});

describe("receiptsOfProposal on a log that is not as written", () => {
  it("throws on a changed receipt of the proposal rather than skipping it", async () => {
    const log = await logWith(5);
    await writeFile(log.paths.log, (await readFile(log.paths.log, "utf8")).replace("not now (3)", "approved after all"));
    await expect(receiptsOfProposal(log.paths.log, rejection(3).proposal_id)).rejects.toThrow(
      new ReceiptLogDamagedError(log.paths.log, "line 3: hash does not match the receipt's content; receipt 3 was changed after it was written"),
    );
  });

  it("throws when the receipt was changed to name another proposal, re-hashed or not: the chain shows it", async () => {
    const stale = await logWith(5);
    await writeFile(stale.paths.log, (await readFile(stale.paths.log, "utf8")).replace(`"proposal_id":"${rejection(3).proposal_id}"`, `"proposal_id":"p_someone_else"`));
    await expect(receiptsOfProposal(stale.paths.log, rejection(3).proposal_id)).rejects.toThrow(/line 3: hash does not match the receipt's content; receipt 3 was changed/);

    const rehashed = await logWith(5);
    const lines = (await readFile(rehashed.paths.log, "utf8")).split("\n");
    lines[2] = rehash(lines[2]!, (body) => void (body["proposal_id"] = "p_someone_else"));
    await writeFile(rehashed.paths.log, lines.join("\n"));
    await expect(receiptsOfProposal(rehashed.paths.log, rejection(3).proposal_id)).rejects.toThrow(/receipt 3 was changed and re-hashed after it was written/);
  });

  it("throws when receipts were cut off the end, as receipts.head shows", async () => {
    const log = await logWith(5);
    await writeFile(log.paths.log, (await readFile(log.paths.log, "utf8")).split("\n").slice(0, 3).join("\n") + "\n");
    await expect(receiptsOfProposal(log.paths.log, rejection(5).proposal_id)).rejects.toThrow(/the log ends at receipt 3, but receipts\.head records receipt 5; receipts 4–5 were removed from the end/);
    await rm(log.paths.log);
    await expect(receiptsOfProposal(log.paths.log, rejection(5).proposal_id)).rejects.toThrow(ReceiptLogDamagedError);
  });

  it("leaves out a torn final line the head does not cover, cut off or whole but not hashing: it is no receipt yet", async () => {
    const log = await logWith(3);
    const fourth = rehash((await readFile(log.paths.log, "utf8")).split("\n")[2]!, (body) => void Object.assign(body, { seq: 4 }));
    await appendFile(log.paths.log, fourth.slice(0, fourth.indexOf('"reason"')));
    expect((await receiptsOfProposal(log.paths.log, rejection(3).proposal_id)).map((receipt) => receipt.seq)).toEqual([3]);
    await writeFile(log.paths.log, (await readFile(log.paths.log, "utf8")).replace(/\{[^\n]*$/, `${fourth.replace("not now", "not at all")}\n`));
    expect((await receiptsOfProposal(log.paths.log, rejection(3).proposal_id)).map((receipt) => receipt.seq)).toEqual([3]);
  });

  it("finds nothing in a data folder never used (no log, no head)", async () => {
    const dir = await temp();
    expect(await receiptsOfProposal(`${dir}/receipts/receipts.jsonl`, rejection(1).proposal_id)).toEqual([]);
  });
});

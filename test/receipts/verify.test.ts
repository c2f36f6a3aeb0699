import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { verifyReceiptLog } from "../../src/receipts/verify-log.js";
import { rehash, rejection, steppingClock, tempDirs } from "./helpers.js";

const temp = tempDirs("verify");

/** A log of `count` receipts, and a function that rewrites its lines and verifies the result. */
async function fixture(count = 6) {
  const log = await ReceiptLog.open(await temp(), { clock: steppingClock(), durable: false });
  for (let i = 1; i <= count; i++) await log.append(rejection(i));
  const original = (await readFile(log.paths.log, "utf8")).split("\n").slice(0, -1);
  return {
    log,
    original,
    async verifyWith(lines: string[], tail = "\n") {
      await writeFile(log.paths.log, lines.join("\n") + (lines.length > 0 ? tail : ""));
      return log.verify();
    },
  };
}

describe("receipts verify names the first receipt that is not as written", () => {
  it("passes an intact log", async () => {
    const { log } = await fixture();
    expect(await log.verify()).toMatchObject({ ok: true, receipts: 6, firstSeq: 1, lastSeq: 6, problem: null, head: { seq: 6 } });
  });

  it("a changed receipt: its hash does not match", async () => {
    const { original, verifyWith } = await fixture();
    const lines = [...original];
    lines[3] = lines[3]!.replace("alice", "mallory");
    expect((await verifyWith(lines)).problem).toEqual({ kind: "changed", seq: 4, line: 4, message: "hash does not match the receipt's content; receipt 4 was changed after it was written" });
  });

  it("a line that is not a receipt", async () => {
    const { original, verifyWith } = await fixture();
    const lines = [...original];
    lines[1] = "{}";
    expect((await verifyWith(lines)).problem).toMatchObject({ kind: "malformed", seq: 2, line: 2 });
  });

  it("a removed receipt", async () => {
    const { original, verifyWith } = await fixture();
    expect((await verifyWith(original.filter((_, i) => i !== 2))).problem).toEqual({
      kind: "missing",
      seq: 3,
      line: 3,
      message: "holds receipt 4 where receipt 3 belongs, and receipt 3 is nowhere in the log; it was removed",
    });
  });

  it("reordered receipts, either way round", async () => {
    const { original, verifyWith } = await fixture();
    const swapped = [...original];
    [swapped[1], swapped[4]] = [swapped[4]!, swapped[1]!];
    expect((await verifyWith(swapped)).problem).toEqual({
      kind: "reordered",
      seq: 2,
      line: 2,
      message: "holds receipt 5 where receipt 2 belongs (receipt 2 is at line 5); the receipts were reordered",
    });
    const moved = [original[0]!, original[1]!, original[3]!, original[2]!, original[4]!, original[5]!];
    expect((await verifyWith(moved)).problem).toMatchObject({ kind: "reordered", seq: 3, line: 3 });
  });

  it("a duplicated receipt", async () => {
    const { original, verifyWith } = await fixture();
    const lines = [...original.slice(0, 3), original[2]!, ...original.slice(3)];
    expect((await verifyWith(lines)).problem).toMatchObject({ kind: "duplicated", seq: 4, line: 4, message: "repeats receipt 3; a receipt was copied into the log" });
  });

  it("a receipt changed and re-hashed: the next receipt no longer chains to it", async () => {
    const { original, verifyWith } = await fixture();
    const lines = [...original];
    lines[2] = rehash(lines[2]!, (body) => (body["actor"] = "mallory"));
    const problem = (await verifyWith(lines)).problem;
    expect(problem).toMatchObject({ kind: "rewritten", seq: 3, line: 3 });
    expect(problem?.message).toMatch(/^receipt 3 was changed and re-hashed after it was written: receipt 4 \(line 4\) chains to sha256:/);
  });

  it("the last receipt changed and re-hashed: the head no longer matches it", async () => {
    const { original, verifyWith } = await fixture();
    const lines = [...original];
    lines[5] = rehash(lines[5]!, (body) => (body["reason"] = "rewritten"));
    expect((await verifyWith(lines)).problem).toMatchObject({ kind: "head_mismatch", seq: 6, line: 6 });
  });

  it("receipts removed from the end, at a line boundary and mid-line", async () => {
    const { original, verifyWith } = await fixture();
    expect((await verifyWith(original.slice(0, 4))).problem).toEqual({
      kind: "truncated",
      seq: 5,
      line: 5,
      message: "the log ends at receipt 4, but receipts.head records receipt 6; receipts 5–6 were removed from the end",
    });
    expect((await verifyWith([...original.slice(0, 5), original[5]!.slice(0, 40)], "")).problem).toMatchObject({
      kind: "truncated",
      seq: 6,
      message: expect.stringMatching(/^receipt 6 is cut off after 40 bytes, but receipts\.head records receipt 6/),
    });
    expect((await verifyWith([])).problem).toMatchObject({ kind: "truncated", seq: 1, message: expect.stringMatching(/receipts 1–6 were removed/) });
  });

  it("a missing or damaged head", async () => {
    const { log } = await fixture();
    await writeFile(log.paths.head, "{ not json");
    expect((await log.verify()).problem).toMatchObject({ kind: "head_invalid", seq: null, message: "receipts.head is not JSON; it was damaged or changed by hand" });
    await rm(log.paths.head);
    expect((await log.verify()).problem).toMatchObject({ kind: "head_missing", seq: null, message: expect.stringMatching(/^missing, so receipts removed from the end of the log could not be noticed/) });
  });

  it("an export without its head verifies its chain, from wherever it starts", async () => {
    const { log, original } = await fixture();
    const file = join(log.paths.dataDir, "export.jsonl");
    await writeFile(file, original.slice(2).join("\n") + "\n");
    const report = await verifyReceiptLog({ log: file, head: null, requireHead: false, partial: true });
    expect(report).toMatchObject({ ok: true, receipts: 4, firstSeq: 3, lastSeq: 6 });
    expect(report.notices[0]).toMatch(/starts at receipt 3 \(a partial export\)/);
    await writeFile(file, [original[2], original[4]].join("\n") + "\n");
    expect((await verifyReceiptLog({ log: file, head: null, requireHead: false, partial: true })).problem).toMatchObject({ kind: "missing", seq: 4 });
  });

  it("does not fail on a torn final line the head does not cover, and says so", async () => {
    const { original, verifyWith } = await fixture();
    const report = await verifyWith([...original, '{"actor":"al'], "");
    expect(report.ok).toBe(true);
    expect(report.tornTail).toEqual({ seq: 7, line: 7 });
    expect(report.notices.join("\n")).toMatch(/12 bytes after receipt 6 are an unfinished receipt/);
  });

  it("fails on a bad line followed by anything, even a torn tail", async () => {
    const { original, verifyWith } = await fixture();
    const lines = [...original];
    lines[5] = lines[5]!.replace("alice", "mallory");
    expect((await verifyWith([...lines, '{"partial'], "")).problem).toMatchObject({ kind: "changed", seq: 6 });
  });
});

import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { verifyReceiptLog } from "../../src/receipts/verify-log.js";
import { bodyOf, rejection, sealText as seal, steppingClock, tempDirs } from "./helpers.js";

const temp = tempDirs("odd-fields");

/**
 * A three-receipt log where receipt 2's body text is edited by `edit` and re-sealed, and receipt 3
 * re-sealed to chain to it: every hash and link holds, only the edited field is off. Verified as an
 * export without a head, so nothing but the lines themselves decides.
 */
async function verifyEdited(edit: (body: string) => string) {
  const log = await ReceiptLog.open(await temp(), { clock: steppingClock(), durable: false });
  for (let i = 1; i <= 3; i++) await log.append(rejection(i));
  const lines = (await readFile(log.paths.log, "utf8")).split("\n").slice(0, -1);
  const edited = edit(bodyOf(lines[1]!));
  expect(edited).not.toBe(bodyOf(lines[1]!));
  const second = seal(edited);
  const third = seal(bodyOf(lines[2]!).replace(/"prev":"sha256:[0-9a-f]{64}"/, `"prev":"${second.hash}"`));
  const file = join(log.paths.dataDir, "export.jsonl");
  await writeFile(file, [lines[0], second.line, third.line].join("\n") + "\n");
  return verifyReceiptLog({ log: file, head: null, requireHead: false });
}

describe("receipt fields read on the bytes are read whole", () => {
  it("a `prev` with a digit more than a sha256 digest is malformed, even when its first 64 digits link", async () => {
    const report = await verifyEdited((body) => body.replace(/("prev":"sha256:[0-9a-f]{64})"/, '$10"'));
    expect(report.ok).toBe(false);
    expect(report.problem).toMatchObject({ kind: "malformed", seq: 2, line: 2, message: expect.stringMatching(/^has a `prev` that is not a sha256 digest; /) });
  });

  it("a `seq` written with a leading zero is no whole number", async () => {
    const report = await verifyEdited((body) => body.replace('"seq":2,', '"seq":02,'));
    expect(report.ok).toBe(false);
    expect(report.problem).toMatchObject({ kind: "malformed", seq: 2, line: 2, message: expect.stringMatching(/^has no whole-number `seq`; /) });
  });

  it("a `seq` with a fraction is no whole number", async () => {
    const report = await verifyEdited((body) => body.replace('"seq":2,', '"seq":2.5,'));
    expect(report.ok).toBe(false);
    expect(report.problem).toMatchObject({ kind: "malformed", seq: 2, line: 2, message: expect.stringMatching(/^has no whole-number `seq`; /) });
  });

  it("a `seq` of more than 15 digits is refused, also in a partial export", async () => {
    const log = await ReceiptLog.open(await temp(), { clock: steppingClock(), durable: false });
    for (let i = 1; i <= 2; i++) await log.append(rejection(i));
    const lines = (await readFile(log.paths.log, "utf8")).split("\n").slice(0, -1);
    const first = seal(bodyOf(lines[0]!).replace('"seq":1,', '"seq":1000000000000000,'));
    const second = seal(
      bodyOf(lines[1]!)
        .replace('"seq":2,', '"seq":1000000000000001,')
        .replace(/"prev":"sha256:[0-9a-f]{64}"/, `"prev":"${first.hash}"`),
    );
    const file = join(log.paths.dataDir, "export.jsonl");
    await writeFile(file, `${first.line}\n${second.line}\n`);
    const report = await verifyReceiptLog({ log: file, head: null, requireHead: false, partial: true });
    expect(report.ok).toBe(false);
    expect(report.problem).toMatchObject({ kind: "malformed", line: 1, message: expect.stringMatching(/^has no whole-number `seq`; /) });
  });

  it("a `key_id` that is not `ed25519:` and 16 hex digits is malformed, not read as a key that signed nothing", async () => {
    const report = await verifyEdited((body) => body.replace(',"kind":', ',"key_id":"ed25519:zzzzzzzzzzzzzzzz","kind":'));
    expect(report.ok).toBe(false);
    expect(report.problem).toMatchObject({ kind: "malformed", seq: 2, line: 2, message: expect.stringMatching(/^has a `key_id` that is not `ed25519:` and 16 hex digits; /) });
  });

  it("a line that does not start as the log writes one (`{` then a quoted key) is no receipt, even re-sealed", async () => {
    const report = await verifyEdited((body) => body.replace(/^\{"/, '{ "'));
    expect(report.ok).toBe(false);
    expect(report.problem).toMatchObject({ kind: "malformed", seq: 2, line: 2, message: expect.stringMatching(/^is not a receipt \(not a JSON object ending in a `hash` seal\); /) });
  });

  it("a body edited within the contract and re-sealed the same way verifies (the control)", async () => {
    const report = await verifyEdited((body) => body.replace("alice", "alicia"));
    expect(report).toMatchObject({ ok: true, receipts: 3, lastSeq: 3 });
  });
});

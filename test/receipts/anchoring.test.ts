import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { copyFile, readdir, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { receiptPaths } from "../../src/receipts/data-dir.js";
import { checkHeadSignature, makeHead, readHead, writeHead } from "../../src/receipts/head-file.js";
import { ReceiptLog, type RepairReport } from "../../src/receipts/receipt-log.js";
import { keyIdOf, signerFromKey } from "../../src/receipts/signing.js";
import { verifyReceiptLog } from "../../src/receipts/verify-log.js";
import { runCli } from "../helpers/run-cli.js";
import { rejection, steppingClock, tempDirs } from "./helpers.js";

/**
 * Where the anchor (receipts.head) meets the log: a signing writer never signs over a head it did
 * not sign, a checkpoint is really checked, a missing log or head is never `intact`, and a log cut
 * mid-receipt can be re-anchored.
 */
const tempDir = tempDirs("anchoring");

function keyPair() {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return { signer: signerFromKey(privateKey), keys: new Map<string, KeyObject>([[keyIdOf(publicKey), publicKey]]), publicKey };
}

async function lines(path: string): Promise<string[]> {
  return (await readFile(path, "utf8")).split("\n").filter(Boolean);
}

/** What an attempt to append ends in: "appended", or the error's name and message. */
async function tryAppend(dataDir: string, options: Parameters<typeof ReceiptLog.open>[1], n: number): Promise<string> {
  return ReceiptLog.open(dataDir, options)
    .then((opened) => opened.append(rejection(n)))
    .then(
      () => "appended",
      (error: Error) => `${error.name}: ${error.message}`,
    );
}

describe("a signing writer signs over no head it did not sign", () => {
  it("a signing writer does not re-sign (launder) an unsigned head that someone forged after cutting the log", async () => {
    const { signer, keys } = keyPair();
    const dataDir = await tempDir();
    const log = await ReceiptLog.open(dataDir, { clock: steppingClock(), signer });
    for (let n = 1; n <= 5; n++) await log.append(rejection(n));
    const paths = receiptPaths(dataDir);
    const all = await lines(paths.log);
    await writeFile(paths.log, `${all.slice(0, 3).join("\n")}\n`);
    const third = JSON.parse(all[2]!) as { hash: string; time: string };
    await writeHead(paths.head, makeHead(3, third.hash, third.time), false);
    expect((await verifyReceiptLog({ log: paths.log, head: paths.head, requireHead: true, keys })).ok).toBe(false);
    const next = await tryAppend(dataDir, { clock: steppingClock(Date.parse("2026-11-22T00:00:00Z")), signer }, 6);
    expect(next).toMatch(/^ReceiptLogDamagedError: .*receipts\.head: is not signed, but this process signs with ed25519:\w+; .*`patchwarden receipts reanchor --reason TEXT` run with the key/);
    // Nothing was written: the head is still the forged one, and the log still fails with the key.
    expect(await readHead(paths.head)).toMatchObject({ ok: true, head: { seq: 3, hash: third.hash } });
    expect(await lines(paths.log)).toHaveLength(3);
  });

  it("refuses a head signed by another key, and one whose signature was changed", async () => {
    const old = keyPair();
    const current = keyPair();
    const dataDir = await tempDir();
    const log = await ReceiptLog.open(dataDir, { clock: steppingClock(), signer: old.signer, durable: false });
    for (let n = 1; n <= 2; n++) await log.append(rejection(n));
    expect(await tryAppend(dataDir, { signer: current.signer, durable: false }, 3)).toMatch(/receipts\.head: is signed by ed25519:\w+, not by ed25519:\w+, the key this process signs with; after a key rotation, .*receipts reanchor/);
    const head = JSON.parse(await readFile(log.paths.head, "utf8")) as Record<string, unknown>;
    await writeFile(log.paths.head, JSON.stringify({ ...head, time: "2030-01-01T00:00:00.000Z" }));
    expect(await tryAppend(dataDir, { signer: old.signer, durable: false }, 3)).toMatch(/receipts\.head: has a signature that does not verify with ed25519:\w+; it was changed after it was signed/);
  });

  it("keeps appending after its own head, even one append behind (a crash before the head moved)", async () => {
    const { signer, keys } = keyPair();
    const dataDir = await tempDir();
    const log = await ReceiptLog.open(dataDir, { clock: steppingClock(), signer, durable: false });
    await log.append(rejection(1));
    const behind = await readFile(log.paths.head);
    await log.append(rejection(2));
    await writeFile(log.paths.head, behind);
    expect(await tryAppend(dataDir, { signer, durable: false }, 3)).toBe("appended");
    expect(await log.verify(keys)).toMatchObject({ ok: true, receipts: 3, signed: 3 });
  });

  it("turning signing on for a log written without a key takes a re-anchor, after which the key verifies from there on", async () => {
    const { signer, keys } = keyPair();
    const dataDir = await tempDir();
    const plain = await ReceiptLog.open(dataDir, { clock: steppingClock(), durable: false });
    for (let n = 1; n <= 2; n++) await plain.append(rejection(n));
    expect(await tryAppend(dataDir, { signer, durable: false }, 3)).toMatch(/a head written before signing was enabled cannot be told from one forged after cutting the log/);
    const reanchored = await ReceiptLog.at(dataDir, { signer, durable: false, clock: steppingClock(Date.parse("2026-11-22T00:00:00Z")) }).reanchor("alice", "signing enabled");
    expect(reanchored).toMatchObject({ seq: 3, previous_head_seq: 2, key_id: signer.keyId });
    expect(await tryAppend(dataDir, { signer, durable: false }, 4)).toBe("appended");
    const head = await readHead(plain.paths.head);
    expect(head.ok && head.head !== null && checkHeadSignature(head.head, keys)).toBe("valid");
  });

  it("a key rotation as install.md describes it: re-anchor with the new key, append, and both keys verify the whole log", async () => {
    const old = keyPair();
    const next = keyPair();
    const dataDir = await tempDir();
    const log = await ReceiptLog.open(dataDir, { clock: steppingClock(), signer: old.signer, durable: false });
    for (let n = 1; n <= 2; n++) await log.append(rejection(n));
    await ReceiptLog.at(dataDir, { signer: next.signer, durable: false, clock: steppingClock(Date.parse("2026-11-22T00:00:00Z")) }).reanchor("alice", "signing key rotated");
    expect(await tryAppend(dataDir, { signer: next.signer, durable: false }, 4)).toBe("appended");
    const both = new Map([...old.keys, ...next.keys]);
    expect(await log.verify(both)).toMatchObject({ ok: true, receipts: 4, signed: 4 });
    expect((await log.verify(next.keys)).ok).toBe(false);
  });

  it("signs anew the seq-0 anchor an unsigned process left on an empty log (it proves no more than no head)", async () => {
    const { signer, keys } = keyPair();
    const dataDir = await tempDir();
    await ReceiptLog.open(dataDir, { durable: false });
    expect(await verifyReceiptLog({ log: receiptPaths(dataDir).log, head: receiptPaths(dataDir).head, requireHead: true, keys })).toMatchObject({ ok: false, problem: { kind: "unsigned" } });
    const log = await ReceiptLog.open(dataDir, { signer, durable: false });
    expect(await log.verify(keys)).toMatchObject({ ok: true, receipts: 0 });
    expect(await tryAppend(dataDir, { signer, durable: false }, 1)).toBe("appended");
    expect(await log.verify(keys)).toMatchObject({ ok: true, receipts: 1, signed: 1 });
  });
});

describe("a checkpoint (--head) proves the log still holds its receipt", () => {
  it("verify --log LOG --head CHECKPOINT fails when the checkpoint's receipt was removed from the log", async () => {
    const dataDir = await tempDir();
    const log = await ReceiptLog.open(dataDir, { clock: steppingClock() });
    for (let n = 1; n <= 3; n++) await log.append(rejection(n));
    const paths = receiptPaths(dataDir);
    const checkpoint = `${dataDir}/checkpoint.head`;
    await copyFile(paths.head, checkpoint);
    for (let n = 4; n <= 6; n++) await log.append(rejection(n));
    const all = await lines(paths.log);
    await writeFile(paths.log, `${all.slice(4).join("\n")}\n`);
    const run = await runCli(["receipts", "verify", "--log", paths.log, "--head", checkpoint]);
    expect(run.stdout).not.toContain("intact");
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${paths.log} line 1: holds receipt 5 where receipt 1 belongs, and receipt 1 is nowhere in the log; it was removed\n`);
    expect(run.stdout).toContain("verify it with --partial");
    // Asked to accept a partial start, it still fails: the checkpoint's receipt is before it.
    const partial = await runCli(["receipts", "verify", "--log", paths.log, "--head", checkpoint, "--partial"]);
    expect(partial.code).toBe(1);
    expect(partial.stdout).toMatch(/checkpoint\.head records receipt 3, but the log starts at receipt 5; receipt 3 is not in it, so it was removed/);
    expect(partial.stdout).not.toMatch(/receipts before \d+ verified/);
  });

  it("a head before the log's first receipt is a failure, not a note; seq 0 anchors nothing and passes", async () => {
    const dataDir = await tempDir();
    const log = await ReceiptLog.open(dataDir, { clock: steppingClock(), durable: false });
    for (let n = 1; n <= 4; n++) await log.append(rejection(n));
    const all = await lines(log.paths.log);
    const file = join(dataDir, "export.jsonl");
    await writeFile(file, `${all.slice(2).join("\n")}\n`);
    const head = join(dataDir, "old.head");
    const second = JSON.parse(all[1]!) as { hash: string; time: string };
    await writeHead(head, makeHead(2, second.hash, second.time), false);
    expect(await verifyReceiptLog({ log: file, head, requireHead: true, partial: true })).toMatchObject({ ok: false, problem: { kind: "missing", seq: 2, line: null } });
    await writeHead(head, makeHead(0, `sha256:${"0".repeat(64)}`, second.time), false);
    expect(await verifyReceiptLog({ log: file, head, requireHead: true, partial: true })).toMatchObject({ ok: true, firstSeq: 3 });
  });

  it("a log that starts after receipt 1 passes only with --partial, which a data folder does not take", async () => {
    const dataDir = await tempDir();
    const log = await ReceiptLog.open(dataDir, { clock: steppingClock(), durable: false });
    for (let n = 1; n <= 4; n++) await log.append(rejection(n));
    const file = join(dataDir, "since.jsonl");
    await writeFile(file, `${(await lines(log.paths.log)).slice(2).join("\n")}\n`);
    expect(await runCli(["receipts", "verify", "--log", file])).toMatchObject({ code: 1, stdout: expect.stringMatching(/receipt 1 is nowhere in the log/) });
    expect(await runCli(["receipts", "verify", "--log", file, "--partial"])).toMatchObject({ code: 0, stdout: expect.stringMatching(/intact: 2 receipt\(s\), 3–4.*\nnote: the log starts at receipt 3 \(a partial export\)/) });
    expect(await runCli(["receipts", "verify", "--data-dir", dataDir, "--partial"])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--partial: only with --log/) });
  });
});

describe("a missing log or head is never intact", () => {
  it("verify --public-key does not call a data folder whose log and head were deleted intact", async () => {
    const { signer, publicKey } = keyPair();
    const dataDir = await tempDir();
    const pub = join(dataDir, "receipt-signing.pub");
    await writeFile(pub, publicKey.export({ type: "spki", format: "pem" }));
    const log = await ReceiptLog.open(dataDir, { clock: steppingClock(), signer });
    for (let n = 1; n <= 3; n++) await log.append(rejection(n));
    const paths = receiptPaths(dataDir);
    expect((await runCli(["receipts", "verify", "--data-dir", dataDir, "--public-key", pub])).code).toBe(0);
    await rm(paths.log);
    await rm(paths.head);
    const run = await runCli(["receipts", "verify", "--data-dir", dataDir, "--public-key", pub]);
    expect(run.stdout).not.toContain("intact");
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(`${paths.log}: no receipt log here, and no receipts.head; check the data folder, or restore both from a backup\n`);
    // Without a key, too.
    expect(await runCli(["receipts", "verify", "--data-dir", dataDir])).toMatchObject({ code: 1, stdout: expect.stringMatching(/no receipt log here/) });
  });

  it("with a key, a missing head fails even when the log is empty", async () => {
    const { signer, keys } = keyPair();
    const dataDir = await tempDir();
    const log = await ReceiptLog.open(dataDir, { signer, durable: false });
    await writeFile(log.paths.log, "");
    expect(await log.verify(keys)).toMatchObject({ ok: true, receipts: 0 });
    await rm(log.paths.head);
    expect(await log.verify(keys)).toMatchObject({ ok: false, problem: { kind: "head_missing" } });
    await rm(log.paths.log);
    expect(await log.verify(keys)).toMatchObject({ ok: false, problem: { kind: "log_missing" } });
    // A bare export with a key and nothing signed in it proves nothing either.
    const empty = join(log.paths.dataDir, "empty.jsonl");
    await writeFile(empty, "");
    expect(await verifyReceiptLog({ log: empty, head: null, requireHead: false, keys })).toMatchObject({ ok: false, problem: { kind: "unsigned" } });
  });

  it("verify --log on a file that does not exist is not `intact`", async () => {
    const dataDir = await tempDir();
    const file = join(dataDir, "export-typo.jsonl");
    const run = await runCli(["receipts", "verify", "--log", file]);
    expect(run.code).not.toBe(0);
    expect(run).toMatchObject({ code: 2, stdout: "", stderr: `patchwarden: --log: \`${file}\`: no such file; check the path\n` });
  });

  it("keeps calling a data folder that was opened but never appended to intact (its head is at seq 0)", async () => {
    const dataDir = await tempDir();
    await ReceiptLog.open(dataDir, { durable: false });
    expect(await runCli(["receipts", "verify", "--data-dir", dataDir])).toMatchObject({ code: 0, stdout: expect.stringMatching(/intact: no receipts, anchored by .* at receipt 0/) });
  });

  it("opening a log that is missing while the head records receipts refuses, pointing at reanchor", async () => {
    const dataDir = await tempDir();
    const log = await ReceiptLog.open(dataDir, { clock: steppingClock(), durable: false });
    for (let n = 1; n <= 3; n++) await log.append(rejection(n));
    await rm(log.paths.log);
    const opened = await ReceiptLog.open(dataDir, { durable: false }).then(
      () => "opened",
      (error: Error) => `${error.name}: ${error.message}`,
    );
    expect(opened).toMatch(/^ReceiptLogDamagedError: .*receipts\.jsonl: missing, but receipts\.head records receipt 3; .*`patchwarden receipts reanchor --reason TEXT`/);
    expect(await readdir(log.paths.dir)).not.toContain("receipts.jsonl");
  });
});

describe("re-anchoring a log cut mid-receipt", () => {
  it("an operator can re-anchor a log that was cut in the middle of a receipt", async () => {
    const dataDir = await tempDir();
    const log = await ReceiptLog.open(dataDir, { clock: steppingClock() });
    for (let n = 1; n <= 3; n++) await log.append(rejection(n));
    const path = receiptPaths(dataDir).log;
    const all = await lines(path);
    await truncate(path, Buffer.byteLength(`${all[0]}\n${all[1]}\n`) + 20);
    const reanchor = await runCli(["receipts", "reanchor", "--data-dir", dataDir, "--reason", "accept what is left", "--actor", "alice"]);
    const open = await ReceiptLog.open(dataDir).then(
      () => "opened",
      (error: Error) => error.message,
    );
    expect({ reanchor: reanchor.code, open }).toEqual({ reanchor: 0, open: "opened" });
    expect(reanchor.stderr).toMatch(/^patchwarden: .*receipts\.jsonl: the final line has no newline .*\(20 bytes after receipt 2, left out by the re-anchoring an operator asked for\); set aside in .*torn-.*-after-2\.jsonl/);
  });

  it("sets the torn bytes aside, never deleting them, and records where and how many in the receipt", async () => {
    const dataDir = await tempDir();
    const log = await ReceiptLog.open(dataDir, { clock: steppingClock(), durable: false });
    for (let n = 1; n <= 3; n++) await log.append(rejection(n));
    const before = await readFile(log.paths.log);
    const cut = Buffer.byteLength((await lines(log.paths.log)).slice(0, 2).join("\n")) + 1 + 33;
    await truncate(log.paths.log, cut);
    await expect(ReceiptLog.open(dataDir, { durable: false })).rejects.toThrow(/so receipt 3 was whole once/);
    const reports: RepairReport[] = [];
    const receipt = await ReceiptLog.at(dataDir, { durable: false, onRepair: (report) => reports.push(report) }).reanchor("alice", "receipt 3 lost with the old disk");
    expect(reports).toHaveLength(1);
    const torn = reports[0]!.setAside;
    expect(await readFile(torn)).toEqual(before.subarray(cut - 33, cut));
    expect(receipt).toMatchObject({ seq: 3, previous_head_seq: 3, kind: "log.reanchored" });
    expect(receipt.reason).toBe(`receipt 3 lost with the old disk; the final line (33 bytes after receipt 2, not a whole receipt) was set aside in ${torn.split("/").pop()}`);
    expect(await log.verify()).toMatchObject({ ok: true, receipts: 3, tornTail: null });
  });

  it("keeps the note whole when the operator's reason is as long as a reason may be", async () => {
    const dataDir = await tempDir();
    const log = await ReceiptLog.open(dataDir, { clock: steppingClock(), durable: false });
    await log.append(rejection(1));
    await writeFile(log.paths.log, `${await readFile(log.paths.log, "utf8")}{"torn`);
    const receipt = await ReceiptLog.at(dataDir, { durable: false }).reanchor("alice", "x".repeat(2000));
    expect(receipt.reason).toHaveLength(2000);
    expect(receipt.reason).toMatch(/x…; the final line \(6 bytes after receipt 1, not a whole receipt\) was set aside in torn-.*-after-1\.jsonl$/);
  });
});

import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LockStateError } from "../../src/locks/lock-errors.js";
import { RepairLocks } from "../../src/locks/repair-locks.js";
import { receiptPaths } from "../../src/receipts/data-dir.js";
import { makeHead, writeHead } from "../../src/receipts/head-file.js";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { verifyReceiptLog } from "../../src/receipts/verify-log.js";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";
import { rejection } from "../receipts/helpers.js";

// Lock state must agree with receipts.head: a lock receipt cut off the end is a locked target read as free.
const NOON = "2026-11-21T12:00:00Z";
const EXAMPLE = fixture("examples/runtime-diagnostics.bundle.yaml");
const GATEWAY = { service: "openclaw-gateway.service" };

let temp: string;
let dataDir: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-lock-head-"));
  dataDir = join(temp, "data");
  await mkdir(dataDir);
});
afterEach(() => rm(temp, { recursive: true, force: true }));

const paths = () => receiptPaths(dataDir);
const check = () => runCli(["runtime-repair-check", "--bundle", EXAMPLE, "--now", NOON], { env: { PATCHWARDEN_DATA_DIR: dataDir } });

async function lines(): Promise<string[]> {
  return (await readFile(paths().log, "utf8")).split("\n").filter(Boolean);
}

async function writeLines(kept: string[], after = ""): Promise<void> {
  await writeFile(paths().log, `${kept.map((line) => `${line}\n`).join("")}${after}`);
}

/** A rejection (receipt 1), then an operator's lock on the example's service (receipt 2). */
async function lockTheTarget(): Promise<ReceiptLog> {
  const log = await ReceiptLog.open(dataDir, { durable: false });
  await log.append(rejection(1));
  await new RepairLocks(log).acquire({ target: GATEWAY, owner: "piotr", reason: "by hand", now: Date.parse(NOON) - 60_000 });
  return log;
}

async function lockTheTargetThenCutIt(): Promise<void> {
  await lockTheTarget();
  await writeLines((await lines()).slice(0, -1));
  const report = await verifyReceiptLog({ log: paths().log, head: paths().head, requireHead: true });
  expect(report.problem?.kind).toBe("truncated");
}

const status = (log = ReceiptLog.at(dataDir)) => new RepairLocks(log).status(Date.parse(NOON));

describe("runtime-repair-check reads the locks against receipts.head", () => {
  it("gives no verdict when the lock receipt was cut off the end of the log", async () => {
    await lockTheTargetThenCutIt();
    const run = await check();
    expect(run).toMatchObject({ code: 1, stdout: "" });
    expect(run.stderr).toMatch(/receipts\.jsonl: ends at receipt 1, but receipts\.head records receipt 2; receipt 2 was removed from the end; no lock is taken or released until `patchwarden receipts verify` passes/);
  });

  it("gives no verdict when the log was removed but the head records receipts", async () => {
    await lockTheTarget();
    await rm(paths().log);
    const run = await check();
    expect(run).toMatchObject({ code: 1, stdout: "" });
    expect(run.stderr).toMatch(/receipts\.jsonl: missing, but receipts\.head records receipt 2; the log was removed/);
  });

  it("gives no verdict when the head is gone while the log holds receipts, or is not a head", async () => {
    await lockTheTarget();
    const head = await readFile(paths().head);
    await rm(paths().head);
    expect(await check()).toMatchObject({ code: 1, stderr: expect.stringMatching(/receipts\.head: missing while the log holds 2 receipt\(s\)/) });
    await writeFile(paths().head, "{");
    expect(await check()).toMatchObject({ code: 1, stderr: expect.stringMatching(/receipts\.head: is not JSON/) });
    await writeFile(paths().head, head);
    expect((await check()).code).toBe(10);
  });

  it("still judges, with no locks, in a data folder never used (no log, no head) or one only opened (a head at 0)", async () => {
    expect((await check()).code).toBe(0);
    // The same rule for lock status; verify has nothing to vouch for there (see audit-and-locks.md).
    expect(await runCli(["lock", "status", "--data-dir", dataDir])).toMatchObject({ code: 0, stdout: "no repair locks are held\n" });
    expect(await runCli(["receipts", "verify", "--data-dir", dataDir])).toMatchObject({ code: 1, stdout: expect.stringMatching(/no receipt log here/) });
    await rm(dataDir, { recursive: true });
    // Named and not there: refused, so a typo is not read as "no locks held" (missing-data-folder.test.ts).
    expect((await check()).code).toBe(2);
    await mkdir(dataDir);
    expect((await check()).code).toBe(0);
    await ReceiptLog.open(dataDir, { durable: false });
    expect((await check()).code).toBe(0);
  });
});

describe("lock status against receipts.head", () => {
  it("exits 1 when the lock receipt was cut off the end of the log", async () => {
    await lockTheTargetThenCutIt();
    const run = await runCli(["lock", "status", "--data-dir", dataDir]);
    expect(run).toMatchObject({ code: 1, stdout: "" });
    expect(run.stderr).toContain("receipt 2 was removed from the end");
  });

  it("refuses a damaged final lock receipt that the head covers, but lets a torn one the head does not cover pass", async () => {
    await lockTheTarget();
    const whole = await lines();
    // The head records receipt 2, so a bad line 2 was whole once.
    await writeLines([whole[0]!, whole[1]!.replace('"owner":"piotr"', '"owner":"pietr"')]);
    await expect(status()).rejects.toThrow(LockStateError);
    await expect(status()).rejects.toThrow(/byte \d+, the receipt after 1\): hash does not match .*receipts\.head records receipt 2, so receipt 2 was whole once/);
    // Cut off mid-line (no newline) with the head covering it: cut short, not torn.
    await writeLines([whole[0]!], whole[1]!.slice(0, 40));
    await expect(status()).rejects.toThrow(/receipt 2 is cut off after 40 bytes, but receipts\.head records receipt 2/);
    // A torn append after receipt 2 (the head at 2): not a receipt yet, and the lease stands.
    await writeLines(whole, '{"actor":"bo');
    expect((await status()).active.map((lease) => lease.owner)).toEqual(["piotr"]);
    await writeLines(whole, '{"not":"a receipt"}\n');
    expect((await status()).active.map((lease) => lease.owner)).toEqual(["piotr"]);
  });

  it("refuses a final receipt re-hashed to something else than the head records", async () => {
    await lockTheTarget();
    await writeHead(paths().head, makeHead(2, `sha256:${"ab".repeat(32)}`, NOON), false);
    await expect(status()).rejects.toThrow(/receipts\.jsonl: receipt 2 hashes to sha256:[0-9a-f]{64}, but receipts\.head records sha256:(ab){32} for it/);
  });

  it("accepts a head behind the log (a crash between an append and the head update)", async () => {
    const log = await lockTheTarget();
    const head = await readFile(paths().head);
    await log.append(rejection(3));
    await writeFile(paths().head, head);
    const read = await status();
    expect(read).toMatchObject({ throughSeq: 3, active: [{ owner: "piotr" }] });
  });

  it("a long-lived reader notices a cut, a removed log and a changed head, and accepts a head just behind it", async () => {
    const log = await lockTheTarget();
    const reader = new RepairLocks(ReceiptLog.at(dataDir));
    const now = Date.parse(NOON);
    expect((await reader.status(now)).active).toHaveLength(1);

    // A head one append behind what the reader folded: checked from the hashes it kept.
    const head = await readFile(paths().head);
    await log.append(rejection(3));
    expect((await reader.status(now)).throughSeq).toBe(3);
    await writeFile(paths().head, head);
    expect((await reader.status(now)).throughSeq).toBe(3);
    await writeHead(paths().head, makeHead(2, `sha256:${"cd".repeat(32)}`, NOON), false);
    await expect(reader.status(now)).rejects.toThrow(/receipt 2 hashes to .* but receipts\.head records sha256:(cd){32}/);
    await writeFile(paths().head, head);

    await log.append(rejection(4));
    const whole = await lines();
    await writeLines(whole.slice(0, 1));
    await expect(reader.status(now)).rejects.toThrow(/ends at receipt 1, but receipts\.head records receipt 4/);
    await rm(paths().log);
    await expect(reader.status(now)).rejects.toThrow(/missing, but receipts\.head records receipt 4/);
    await writeLines(whole);
    expect((await reader.status(now)).active).toHaveLength(1);
  });

  it("a long-lived reader refuses a log and head removed together, or started again, and reads them again once put back", async () => {
    const log = await lockTheTarget();
    const reader = new RepairLocks(ReceiptLog.at(dataDir));
    const now = Date.parse(NOON);
    expect((await reader.status(now)).active).toHaveLength(1);
    const [logBytes, headBytes] = await Promise.all([readFile(paths().log), readFile(paths().head)]);
    await rm(paths().dir, { recursive: true });
    await expect(reader.status(now)).rejects.toThrow(LockStateError);
    await expect(reader.status(now)).rejects.toThrow(
      `${paths().dir}: receipts.jsonl and receipts.head are both gone, but this process has seen receipts 1–2 there; the receipt log was removed, and a folder that held receipts is not a new one: restore both from a backup, or have an operator accept the loss (\`patchwarden receipts reanchor --reason TEXT\`), then restart this process; no lock is taken or released by this process until the log it read is restored, or it is restarted`,
    );
    // Another process, which never saw the old log, starts a new one; it agrees with its head.
    await (await ReceiptLog.open(dataDir, { durable: false })).append(rejection(7));
    await expect(reader.status(now)).rejects.toThrow(/receipts\.jsonl: no longer holds receipt 2 \(sha256:[0-9a-f]{64}\) where this process saw it/);
    // The writer that took the lock refuses as well, rather than append to the new log.
    await expect(log.append(rejection(3))).rejects.toThrow(/no longer holds receipt 2/);
    await writeFile(paths().log, logBytes);
    await writeFile(paths().head, headBytes);
    expect((await reader.status(now)).active.map((lease) => lease.owner)).toEqual(["piotr"]);
  });

  it("a head far behind a long-lived reader is checked by reading the log again from the start", async () => {
    const log = await lockTheTarget();
    const reader = new RepairLocks(ReceiptLog.at(dataDir));
    const now = Date.parse(NOON);
    const head = await readFile(paths().head);
    await log.appendAll(Array.from({ length: 100 }, (_, i) => rejection(10 + i)));
    expect((await reader.status(now)).throughSeq).toBe(102);
    await writeFile(paths().head, head);
    expect((await reader.status(now)).throughSeq).toBe(102);
    await writeHead(paths().head, makeHead(2, `sha256:${"ef".repeat(32)}`, NOON), false);
    await expect(reader.status(now)).rejects.toThrow(/receipt 2 hashes to .* but receipts\.head records sha256:(ef){32}/);
  });
});

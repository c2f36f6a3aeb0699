import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { runCli } from "../helpers/run-cli.js";
import { rejection, steppingClock, tempDirs, verdictReceipt } from "./helpers.js";

const temp = tempDirs("receipts-cli");

async function dataDirWith(count: number): Promise<{ dataDir: string; log: ReceiptLog }> {
  const dataDir = await temp();
  const log = await ReceiptLog.open(dataDir, { clock: steppingClock(), durable: false });
  for (let i = 1; i <= count; i++) await log.append(i % 2 === 0 ? verdictReceipt(i) : rejection(i));
  return { dataDir, log };
}

describe("patchwarden receipts verify", () => {
  it("exits 0 for an intact log and says how far it reaches", async () => {
    const { dataDir, log } = await dataDirWith(3);
    const run = await runCli(["receipts", "verify", "--data-dir", dataDir]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toBe(`${log.paths.log}: intact: 3 receipt(s), 1–3, anchored by ${log.paths.head} at receipt 3\n`);
  });

  it("exits 1 naming the first bad receipt, path first", async () => {
    const { dataDir, log } = await dataDirWith(4);
    const text = await readFile(log.paths.log, "utf8");
    await writeFile(log.paths.log, text.replace("not now (3)", "not now (Z)"));
    const run = await runCli(["receipts", "verify", "--data-dir", dataDir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${log.paths.log} line 3: hash does not match the receipt's content; receipt 3 was changed after it was written\n`);
    expect(run.stdout).toContain("receipts before 3 verified");
    expect(run.stderr).toBe(`patchwarden: ${log.paths.log}: verification failed at receipt 3; see above\n`);
    const json = await runCli(["receipts", "verify", "--data-dir", dataDir, "--json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, receipts: 2, problem: { kind: "changed", seq: 3, line: 3 } });
  });

  it("reads the data folder from $PATCHWARDEN_DATA_DIR, else ./data", async () => {
    const { dataDir } = await dataDirWith(1);
    expect((await runCli(["receipts", "verify"], { env: { PATCHWARDEN_DATA_DIR: dataDir } })).stdout).toMatch(/intact: 1 receipt/);
    const cwd = await temp();
    await ReceiptLog.open(join(cwd, "data"), { durable: false }).then((log) => log.append(rejection(1)));
    expect((await runCli(["receipts", "verify"], { cwd })).stdout).toContain(`${join(cwd, "data", "receipts", "receipts.jsonl")}: intact`);
  });

  it("exits 2 for bad usage and unreadable keys", async () => {
    const { dataDir } = await dataDirWith(1);
    expect(await runCli(["receipts", "verify", "--data-dir", dataDir, "--head", "x"])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--head: only with --log/) });
    expect(await runCli(["receipts", "verify", "--data-dir", dataDir, "--public-key", join(dataDir, "nope.pub")])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--public-key: .*nope\.pub: cannot read the public key \(no such file\)/),
    });
    expect(await runCli(["receipts", "verify", "--bogus"])).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown option `--bogus`/) });
  });
});

describe("patchwarden receipts show and tail", () => {
  it("shows one receipt, field by field or byte for byte", async () => {
    const { dataDir, log } = await dataDirWith(3);
    const text = await runCli(["receipts", "show", "2", "--data-dir", dataDir]);
    expect(text.code).toBe(0);
    expect(text.stdout.split("\n").slice(0, 4)).toEqual(["seq:            2", "time:           2026-11-21T05:00:02.000Z", "kind:           verdict", "actor:          patchwarden"]);
    expect(text.stdout).toContain(`repair_target:  {"host":"iskra-1","service":"openclaw-gateway"}`);
    const raw = await runCli(["receipts", "show", "2", "--json", "--data-dir", dataDir]);
    expect(raw.stdout).toBe(`${(await readFile(log.paths.log, "utf8")).split("\n")[1]}\n`);
  });

  it("exits 1 for a receipt that is not there or not intact, 2 for a bad number", async () => {
    const { dataDir, log } = await dataDirWith(3);
    expect(await runCli(["receipts", "show", "9", "--data-dir", dataDir])).toMatchObject({ code: 1, stderr: expect.stringMatching(/no receipt 9; `patchwarden receipts tail` shows the latest/) });
    expect(await runCli(["receipts", "show", "0", "--data-dir", dataDir])).toMatchObject({ code: 2, stderr: expect.stringMatching(/`0` is not a receipt number/) });
    await writeFile(log.paths.log, (await readFile(log.paths.log, "utf8")).replace("not now (1)", "not now (Q)"));
    expect(await runCli(["receipts", "show", "1", "--data-dir", dataDir])).toMatchObject({ code: 1, stderr: expect.stringMatching(/line 1: receipt 1 hash does not match/) });
  });

  it("tails the latest receipts, oldest first, one line each", async () => {
    const { dataDir, log } = await dataDirWith(5);
    const run = await runCli(["receipts", "tail", "-n", "2", "--data-dir", dataDir]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        "#4 2026-11-21T05:00:04.000Z verdict by patchwarden: needs_human for `gateway_restart`",
        "#5 2026-11-21T05:00:05.000Z proposal.rejected by alice: proposal p_00000000000000000005, `not now (5)`",
        "",
      ].join("\n"),
    );
    const raw = await runCli(["receipts", "tail", "--json", "--data-dir", dataDir]);
    expect(raw.stdout).toBe(await readFile(log.paths.log, "utf8"));
    expect(await runCli(["receipts", "tail", "-n", "0", "--data-dir", dataDir])).toMatchObject({ code: 2 });
  });
});

describe("patchwarden receipts export", () => {
  it("copies the log byte for byte with its head, and the copy verifies offline", async () => {
    const { dataDir, log } = await dataDirWith(4);
    const out = join(await temp(), "export.jsonl");
    const run = await runCli(["receipts", "export", "--out", out, "--data-dir", dataDir]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`exported receipts 1–4 (4, `);
    expect(await readFile(out)).toEqual(await readFile(log.paths.log));
    expect(await readFile(`${out}.head`)).toEqual(await readFile(log.paths.head));
    expect(await runCli(["receipts", "verify", "--log", out])).toMatchObject({ code: 0, stdout: expect.stringMatching(/intact: 4 receipt\(s\), 1–4, anchored by .*export\.jsonl\.head at receipt 4/) });
    expect(await runCli(["receipts", "export", "--out", out, "--data-dir", dataDir])).toMatchObject({ code: 2, stderr: expect.stringMatching(/already exists/) });
    // The copy still shows truncation.
    await writeFile(out, (await readFile(out, "utf8")).split("\n").slice(0, 2).join("\n") + "\n");
    expect(await runCli(["receipts", "verify", "--log", out])).toMatchObject({ code: 1, stdout: expect.stringMatching(/receipts 3–4 were removed from the end/) });
  });

  it("exports from a time on, and to standard output", async () => {
    const { dataDir, log } = await dataDirWith(4);
    const all = await runCli(["receipts", "export", "--data-dir", dataDir]);
    expect(all.stdout).toBe(await readFile(log.paths.log, "utf8"));
    const since = await runCli(["receipts", "export", "--since", "2026-11-21T05:00:03Z", "--data-dir", dataDir]);
    expect(since.stdout.split("\n").filter(Boolean).map((line) => JSON.parse(line).seq)).toEqual([3, 4]);
    const partial = join(await temp(), "partial.jsonl");
    await writeFile(partial, since.stdout);
    // A partial start is accepted only when asked for: otherwise cutting receipts off the front would pass.
    expect(await runCli(["receipts", "verify", "--log", partial])).toMatchObject({ code: 1, stdout: expect.stringMatching(/receipt 1 is nowhere in the log/) });
    expect(await runCli(["receipts", "verify", "--log", partial, "--partial"])).toMatchObject({ code: 0, stdout: expect.stringMatching(/note: the log starts at receipt 3 \(a partial export\)/) });
    expect(await runCli(["receipts", "export", "--since", "yesterday", "--data-dir", dataDir])).toMatchObject({ code: 2 });
  });
});

describe("patchwarden receipts keygen and signing", () => {
  it("creates keys; with $PATCHWARDEN_RECEIPT_KEY commands sign, and verify checks with the public key", async () => {
    const keys = join(await temp(), "keys");
    const gen = await runCli(["receipts", "keygen", "--out", keys]);
    expect(gen.code).toBe(0);
    expect(gen.stdout).toMatch(/^key ed25519:[0-9a-f]{16}\n/);
    expect(gen.stdout).toContain(`export PATCHWARDEN_RECEIPT_KEY=${join(keys, "receipt-signing.key")}`);
    expect(await runCli(["receipts", "keygen", "--out", keys])).toMatchObject({ code: 2, stderr: expect.stringMatching(/already exists; keys are never overwritten/) });

    const dataDir = await temp();
    const env = { PATCHWARDEN_RECEIPT_KEY: join(keys, "receipt-signing.key") };
    await runCli(["receipts", "reanchor", "--reason", "first receipt of a new gate", "--actor", "alice", "--data-dir", dataDir], { env });
    const verified = await runCli(["receipts", "verify", "--data-dir", dataDir, "--public-key", join(keys, "receipt-signing.pub")]);
    expect(verified).toMatchObject({ code: 0, stdout: expect.stringMatching(/intact: 1 receipt\(s\), 1–1, .*; all 1 signatures valid/) });
    const fast = await runCli(["receipts", "verify", "--data-dir", dataDir, "--public-key", join(keys, "receipt-signing.pub"), "--signatures", "head"]);
    expect(fast).toMatchObject({ code: 0, stdout: expect.stringMatching(/; the head's signature is valid and covers receipts up to 1; 1 signed\n$/) });
    expect(await runCli(["receipts", "verify", "--data-dir", dataDir, "--signatures", "head"])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--signatures head: needs --public-key/) });
    expect(await runCli(["receipts", "reanchor", "--reason", "r", "--actor", "alice", "--data-dir", dataDir], { env: { PATCHWARDEN_RECEIPT_KEY: join(keys, "missing.key") } })).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^patchwarden: PATCHWARDEN_RECEIPT_KEY: .*missing\.key: cannot read the receipt signing key/),
    });
  });
});

describe("patchwarden receipts reanchor", () => {
  it("re-anchors a log whose head was lost, and refuses without a reason", async () => {
    const { dataDir, log } = await dataDirWith(2);
    await rm(log.paths.head);
    expect((await runCli(["receipts", "verify", "--data-dir", dataDir])).code).toBe(1);
    expect(await runCli(["receipts", "reanchor", "--actor", "alice", "--data-dir", dataDir])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--reason: missing/) });
    const run = await runCli(["receipts", "reanchor", "--reason", "head lost in a restore", "--data-dir", dataDir], { env: { USER: "alice" } });
    expect(run).toMatchObject({ code: 0, stdout: `${log.paths.log}: re-anchored at receipt 3 (the head was missing or unreadable)\n` });
    expect((await runCli(["receipts", "show", "3", "--json", "--data-dir", dataDir])).stdout).toMatch(/"actor":"alice","kind":"log\.reanchored"/);
    expect((await runCli(["receipts", "verify", "--data-dir", dataDir])).code).toBe(0);
  });
});

it("patchwarden --help lists the receipts and lock commands", async () => {
  const run = await runCli(["--help"]);
  for (const name of ["receipts verify", "receipts show", "receipts tail", "receipts export", "receipts keygen", "receipts reanchor", "lock status", "lock release"]) expect(run.stdout).toContain(`  ${name} `);
});

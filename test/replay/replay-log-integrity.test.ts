import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RepairLocks } from "../../src/locks/repair-locks.js";
import { receiptPaths } from "../../src/receipts/data-dir.js";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { readPastVerdicts, ReplayLogError } from "../../src/replay/past-verdicts.js";
import type { ReplayReport } from "../../src/replay/replay-verdicts.js";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

// "A damaged verdict receipt stops the replay (exit 1) rather than report on part of the log":
// whatever part of the line is damaged, and when verdicts were cut off the end.
const EXAMPLE = fixture("examples/runtime-diagnostics.bundle.yaml");

let temp: string;
let dataDir: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-replay-log-"));
  dataDir = join(temp, "data");
  await mkdir(dataDir);
});
afterEach(() => rm(temp, { recursive: true, force: true }));

const env = () => ({ PATCHWARDEN_DATA_DIR: dataDir, USER: "patchwarden" });
const paths = () => receiptPaths(dataDir);
const replay = () => runCli(["replay", "--data-dir", dataDir, "--json", "--fail-on-loosen"], { env: env() });

async function twoVerdicts(): Promise<string[]> {
  for (let i = 0; i < 2; i++) expect((await runCli(["runtime-repair-check", "--bundle", EXAMPLE, "--receipt", "--now", "2026-11-21T12:00:00Z"], { env: env() })).code).toBe(0);
  const lines = await readLines();
  expect(lines).toHaveLength(2);
  return lines;
}

async function readLines(): Promise<string[]> {
  return (await readFile(paths().log, "utf8")).split("\n").filter(Boolean);
}

async function writeLines(lines: string[], after = ""): Promise<void> {
  await writeFile(paths().log, `${lines.map((line) => `${line}\n`).join("")}${after}`);
}

describe("replay reads the whole chain and checks its end against receipts.head", () => {
  it("stops on a damaged verdict receipt even when the damage is in its kind", async () => {
    const lines = await twoVerdicts();
    lines[0] = lines[0]!.replace('"kind":"verdict"', '"kind":"verdicT"');
    await writeLines(lines);
    expect((await runCli(["receipts", "verify", "--data-dir", dataDir])).code).toBe(1);
    const run = await replay();
    expect(run).toMatchObject({ code: 1, stdout: "" });
    expect(run.stderr).toMatch(/receipts\.jsonl line 1: hash does not match the receipt's content; a receipt follows it, so receipt 1 was changed after it was written; run `patchwarden receipts verify`; the replay would miss verdicts, so it stops here/);
  });

  it("does not report on a log whose last verdicts were cut off", async () => {
    const lines = await twoVerdicts();
    await writeLines(lines.slice(0, 1));
    const run = await replay();
    expect(run).toMatchObject({ code: 1, stdout: "" });
    expect(run.stderr).toMatch(/receipts\.jsonl: ends at receipt 1, but receipts\.head records receipt 2; receipt 2 was removed from the end/);
  });

  it("stops on a damaged final verdict the head covers, or one cut off mid-line", async () => {
    const lines = await twoVerdicts();
    await writeLines([lines[0]!, lines[1]!.replace('"verdict":"eligible_repair_dry_run"', '"verdict":"blocked"')]);
    expect(await replay()).toMatchObject({ code: 1, stderr: expect.stringMatching(/line 2: hash does not match .*receipts\.head records receipt 2, so receipt 2 was whole once/) });
    await writeLines([lines[0]!], lines[1]!.slice(0, 100));
    expect(await replay()).toMatchObject({ code: 1, stderr: expect.stringMatching(/receipt 2 is cut off after 100 bytes, but receipts\.head records receipt 2/) });
  });

  it("stops when the log was removed, or the head is missing or unreadable", async () => {
    const lines = await twoVerdicts();
    const head = await readFile(paths().head);
    await rm(paths().log);
    expect(await replay()).toMatchObject({ code: 1, stderr: expect.stringMatching(/receipts\.jsonl: missing, but receipts\.head records receipt 2; the log was removed/) });
    await writeLines(lines);
    await rm(paths().head);
    expect(await replay()).toMatchObject({ code: 1, stderr: expect.stringMatching(/receipts\.head: missing while the log holds 2 receipt\(s\)/) });
    await writeFile(paths().head, "not a head");
    expect(await replay()).toMatchObject({ code: 1, stderr: expect.stringMatching(/receipts\.head: is not JSON/) });
    await writeFile(paths().head, head);
    expect((await replay()).code).toBe(0);
  });

  it("stops on a damaged receipt of another kind: the chain is checked, not only the verdicts", async () => {
    const log = await ReceiptLog.open(dataDir, { durable: false });
    await new RepairLocks(log).acquire({ target: { host: "elsewhere" }, owner: "piotr", reason: "by hand", now: Date.parse("2026-11-21T11:00:00Z") });
    expect((await runCli(["runtime-repair-check", "--bundle", EXAMPLE, "--receipt", "--now", "2026-11-21T12:00:00Z"], { env: env() })).code).toBe(0);
    const lines = await readLines();
    await writeLines([lines[0]!.replace('"reason":"by hand"', '"reason":"by hanD"'), lines[1]!]);
    expect(await replay()).toMatchObject({ code: 1, stderr: expect.stringMatching(/line 1: hash does not match/) });
    // Removed from the middle: the verdict after it no longer follows.
    await writeLines([lines[1]!]);
    expect(await replay()).toMatchObject({ code: 1, stderr: expect.stringMatching(/line 1: receipt 2 does not follow receipt 0; the chain is broken/) });
  });

  it("replays over a torn final line the head does not cover (a crash mid-append): it was never a receipt", async () => {
    const lines = await twoVerdicts();
    await writeLines(lines, '{"actor":"patchwarden","bundle_dig');
    const torn = await replay();
    expect(torn.code).toBe(0);
    expect(JSON.parse(torn.stdout) as ReplayReport).toMatchObject({ replayed: 2, through_seq: 2 });
    await writeLines(lines, '{"not":"a receipt"}\n');
    expect((await replay()).code).toBe(0);
  });

  it("a what-if replayed again up to its receipt still checks the whole chain", async () => {
    await twoVerdicts();
    const upTo = await readPastVerdicts(paths(), null, 1);
    expect(upTo.throughSeq).toBe(1);
    expect(upTo.verdicts.map((verdict) => verdict.seq)).toEqual([1]);
    const lines = await readLines();
    await writeLines([lines[0]!]);
    await expect(readPastVerdicts(paths(), null, 1)).rejects.toThrow(ReplayLogError);
  });
});

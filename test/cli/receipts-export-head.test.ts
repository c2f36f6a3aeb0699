import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

const NOBODY = 65534;
const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function folderWithReceipts(count = 1): Promise<{ temp: string; data: string }> {
  const temp = await mkdtemp(join(tmpdir(), "pw-export-"));
  temps.push(temp);
  const data = join(temp, "data");
  for (let i = 1; i <= count; i++) {
    const made = await runCli(["runtime-repair-check", "--bundle", fixture("openclaw-runs/green"), "--now", "2026-11-21T05:00:00Z", "--receipt", "--actor", "alice", "--data-dir", data]);
    expect(made.stderr).toMatch(new RegExp(`recorded the verdict as receipt ${i}`));
  }
  return { temp, data };
}

describe("receipts export and tail check the log against receipts.head", () => {
  it("do not report success when the log is gone but the head records receipts", async () => {
    const { data } = await folderWithReceipts();
    const log = join(data, "receipts", "receipts.jsonl");
    await rm(log);
    const exported = await runCli(["receipts", "export", "--data-dir", data]);
    expect(exported).toMatchObject({ code: 1, stdout: "" });
    expect(exported.stderr).toContain(`${log}: missing, but receipts.head records receipt 1; the log was removed`);
    const tail = await runCli(["receipts", "tail", "--data-dir", data]);
    expect(tail.code).toBe(1);
    expect(tail.stderr).toContain(`${log}: missing, but receipts.head records receipt 1`);
  });

  it("copy what is there of a log cut short, then exit 1 saying receipts are missing", async () => {
    const { data } = await folderWithReceipts(2);
    const log = join(data, "receipts", "receipts.jsonl");
    const lines = (await readFile(log, "utf8")).split("\n");
    await writeFile(log, `${lines[0]}\n`);
    const exported = await runCli(["receipts", "export", "--data-dir", data]);
    expect(exported.code).toBe(1);
    expect(exported.stdout).toBe(`${lines[0]}\n`);
    expect(exported.stderr).toMatch(/ends at receipt 1, but receipts\.head records receipt 2/);
    const tail = await runCli(["receipts", "tail", "--data-dir", data]);
    expect(tail.code).toBe(1);
    expect(tail.stdout).toMatch(/^#1 /);
  });

  it("an intact log exports and tails with exit 0, also when the head is behind the log", async () => {
    const { data } = await folderWithReceipts(1);
    const head = join(data, "receipts", "receipts.head");
    const headAtOne = await readFile(head);
    await runCli(["runtime-repair-check", "--bundle", fixture("openclaw-runs/green"), "--now", "2026-11-21T05:00:00Z", "--receipt", "--actor", "alice", "--data-dir", data]);
    expect((await runCli(["receipts", "export", "--data-dir", data])).code).toBe(0);
    expect((await runCli(["receipts", "tail", "-n", "1", "--data-dir", data])).code).toBe(0);
    // A crash between an append and the head's move leaves the head behind: not damage.
    await writeFile(head, headAtOne);
    expect((await runCli(["receipts", "export", "--data-dir", data])).code).toBe(0);
    expect(await runCli(["receipts", "tail", "-n", "1", "--data-dir", data])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^#2 /) });
    // …but a head naming a receipt the log holds with another hash is.
    const changed = headAtOne.toString().replace(/"hash":"sha256:[0-9a-f]{8}/, '"hash":"sha256:00000000');
    await writeFile(head, changed);
    expect((await runCli(["receipts", "tail", "-n", "1", "--data-dir", data])).stderr).toMatch(/receipt 1 hashes to sha256:[0-9a-f]+, but receipts\.head records sha256:00000000/);
    expect((await runCli(["receipts", "export", "--data-dir", data])).code).toBe(1);
  });

  it("a data folder that does not exist is not a successful empty export (exit 2)", async () => {
    const temp = await mkdtemp(join(tmpdir(), "pw-export-"));
    temps.push(temp);
    const run = await runCli(["receipts", "export", "--data-dir", join(temp, "typo")]);
    expect(run).toMatchObject({ code: 2, stdout: "" });
    expect(run.stderr).toContain(`--data-dir: \`${join(temp, "typo")}\`: no such folder`);
  });

  it("a data folder with no receipts yet exports nothing, with exit 0", async () => {
    const temp = await mkdtemp(join(tmpdir(), "pw-export-"));
    temps.push(temp);
    expect(await runCli(["receipts", "export", "--data-dir", temp])).toMatchObject({ code: 0, stdout: "" });
  });
});

describe("receipts export --out", () => {
  it("does not overwrite an existing FILE.head, and refuses before FILE is created", async () => {
    const { temp, data } = await folderWithReceipts();
    const out = join(temp, "backup.jsonl");
    await writeFile(`${out}.head`, "checkpoint kept from an earlier export\n");
    const run = await runCli(["receipts", "export", "--data-dir", data, "--out", out]);
    expect(await readFile(`${out}.head`, "utf8")).toBe("checkpoint kept from an earlier export\n");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--out: \`${out}.head\` already exists`);
    await expect(stat(out)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("writes FILE and FILE.head, which verify", async () => {
    const { temp, data } = await folderWithReceipts();
    const out = join(temp, "backup.jsonl");
    const run = await runCli(["receipts", "export", "--data-dir", data, "--out", out]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`the anchor is in ${out}.head`);
    expect((await runCli(["receipts", "verify", "--log", out])).code).toBe(0);
  });

  it("an unreadable head is not taken for \"no head to copy\"", async () => {
    const { temp, data } = await folderWithReceipts();
    const head = join(data, "receipts", "receipts.head");
    const outDir = join(temp, "out");
    await mkdir(outDir);
    // Everything but the head readable by `nobody`, so only the head's mode can stop the export.
    for (const d of [temp, data, join(data, "receipts")]) await chmod(d, 0o755);
    await chmod(outDir, 0o777);
    await chmod(join(data, "receipts", "receipts.jsonl"), 0o644);
    await chmod(head, 0o000);
    const out = join(outDir, "backup.jsonl");
    // Root reads a mode-000 file anyway: run the command as `nobody` (a user needs only the chmod).
    const root = process.getuid?.() === 0;
    if (root) process.seteuid!(NOBODY);
    let run;
    try {
      run = await runCli(["receipts", "export", "--data-dir", data, "--out", out]);
    } finally {
      if (root) process.seteuid!(0);
    }
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("receipts.head`: permission denied");
    expect(run.stderr).not.toMatch(/no head to copy|internal error/);
    await expect(stat(out)).rejects.toMatchObject({ code: "ENOENT" });
  });
});

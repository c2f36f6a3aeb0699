import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function scratch(): Promise<string> {
  const temp = await mkdtemp(join(tmpdir(), "pw-export-out-"));
  temps.push(temp);
  return temp;
}

async function folderWithReceipts(temp: string, count: number): Promise<string> {
  const data = join(temp, "data");
  for (let i = 1; i <= count; i++) {
    const made = await runCli(["runtime-repair-check", "--bundle", fixture("openclaw-runs/green"), "--now", "2026-11-21T05:00:00Z", "--receipt", "--actor", "alice", "--data-dir", data]);
    expect(made.stderr).toMatch(new RegExp(`recorded the verdict as receipt ${i}`));
  }
  return data;
}

describe("receipts export --out never overwrites what is already there", () => {
  it("an existing FILE is refused with exit 2 and left byte for byte as it was", async () => {
    const temp = await scratch();
    const data = await folderWithReceipts(temp, 2);
    const out = join(temp, "backup.jsonl");
    await writeFile(out, "an earlier backup\n");
    const run = await runCli(["receipts", "export", "--data-dir", data, "--out", out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`patchwarden: --out: \`${out}\`: already exists; choose another file, or remove it first\n`);
    expect(await readFile(out, "utf8")).toBe("an earlier backup\n");
    await expect(stat(`${out}.head`)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("an existing FILE.head is refused, as a checkpoint, even when the data folder has no head to copy over it", async () => {
    const temp = await scratch();
    const data = join(temp, "data");
    await mkdir(data);
    const out = join(temp, "backup.jsonl");
    await writeFile(`${out}.head`, "checkpoint kept from an earlier export\n");
    const run = await runCli(["receipts", "export", "--data-dir", data, "--out", out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `patchwarden: --out: \`${out}.head\` already exists; it may be a checkpoint kept from an earlier export, so export to another FILE (or move it away first)\n`,
    );
    // No new FILE beside the old checkpoint, which `receipts verify --log FILE` would take as its anchor.
    await expect(stat(out)).rejects.toMatchObject({ code: "ENOENT" });
    expect(await readFile(`${out}.head`, "utf8")).toBe("checkpoint kept from an earlier export\n");
  });

  it("says what it exported and how to check it, --partial for an export made with --since", async () => {
    const temp = await scratch();
    const data = await folderWithReceipts(temp, 2);
    const whole = join(temp, "whole.jsonl");
    const all = await runCli(["receipts", "export", "--data-dir", data, "--out", whole]);
    expect(all.code).toBe(0);
    const bytes = (await stat(whole)).size;
    expect(all.stderr).toBe(`exported receipts 1–2 (2, ${bytes} bytes) to ${whole}; the anchor is in ${whole}.head\ncheck the copy with: patchwarden receipts verify --log ${whole}\n`);
    const since = join(temp, "since.jsonl");
    const part = await runCli(["receipts", "export", "--data-dir", data, "--out", since, "--since", "2000-01-01T00:00:00Z"]);
    expect(part.code).toBe(0);
    expect(part.stderr).toContain(`check the copy with: patchwarden receipts verify --log ${since} --partial\n`);
  });

  it("an export of a folder with no receipts says so, and notes there was no head to copy", async () => {
    const temp = await scratch();
    const data = join(temp, "data");
    await mkdir(data);
    const out = join(temp, "backup.jsonl");
    const run = await runCli(["receipts", "export", "--data-dir", data, "--out", out]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(`exported no receipts to ${out}; no head to copy\ncheck the copy with: patchwarden receipts verify --log ${out}\n`);
    expect(await readFile(out, "utf8")).toBe("");
  });

  it("--out of a log cut short copies what is there, then exits 1 saying receipts are missing", async () => {
    const temp = await scratch();
    const data = await folderWithReceipts(temp, 2);
    const log = join(data, "receipts", "receipts.jsonl");
    const [first] = (await readFile(log, "utf8")).split("\n");
    await writeFile(log, `${first}\n`);
    const out = join(temp, "backup.jsonl");
    const run = await runCli(["receipts", "export", "--data-dir", data, "--out", out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/ends at receipt 1, but receipts\.head records receipt 2/);
    expect(await readFile(out, "utf8")).toBe(`${first}\n`);
  });

  it("a receipts.head that is a folder stops the export with exit 2 naming it, and leaves no FILE", async () => {
    const temp = await scratch();
    const data = join(temp, "data");
    const head = join(data, "receipts", "receipts.head");
    await mkdir(head, { recursive: true });
    const out = join(temp, "backup.jsonl");
    const run = await runCli(["receipts", "export", "--data-dir", data, "--out", out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`\`${head}\``);
    expect(run.stderr).not.toMatch(/no head to copy|internal error/);
    await expect(stat(out)).rejects.toMatchObject({ code: "ENOENT" });
    await expect(stat(`${out}.head`)).rejects.toMatchObject({ code: "ENOENT" });
  });
});

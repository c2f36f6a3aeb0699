import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const GREEN = ["--bundle", fixture("openclaw-runs/green"), "--now", "2026-11-21T05:00:00Z"];

describe("a file where a folder is expected (or the reverse) is a clear error, not a bug report", () => {
  it.each([
    ["queue list --data-dir FILE", (_t: string, f: string) => ["queue", "list", "--data-dir", f], /--data-dir: `.*a-file`: is a file, not a folder/],
    ["receipts tail --data-dir FILE", (_t: string, f: string) => ["receipts", "tail", "--data-dir", f], /--data-dir: `.*a-file`: is a file, not a folder/],
    ["receipts export --data-dir FILE", (_t: string, f: string) => ["receipts", "export", "--data-dir", f], /--data-dir: `.*a-file`: is a file, not a folder/],
    ["receipts verify --log DIR", (t: string) => ["receipts", "verify", "--log", t], /--log: `.*`: is a folder, not a file/],
    ["receipts keygen --out FILE", (_t: string, f: string) => ["receipts", "keygen", "--out", f], /--out: `.*a-file`: is a file, not a folder/],
    ["runtime-repair-check --receipt --data-dir FILE", (_t: string, f: string) => ["runtime-repair-check", ...GREEN, "--receipt", "--actor", "alice", "--data-dir", f], /--data-dir: `.*a-file`: is a file, not a folder/],
    ["runtime-repair-check --data-dir FILE/below", (_t: string, f: string) => ["runtime-repair-check", ...GREEN, "--data-dir", join(f, "below")], /--data-dir: `.*a-file\/below`: a part of the path is a file, not a folder/],
  ])("%s", async (_name, argv, message) => {
    const temp = await mkdtemp(join(tmpdir(), "pw-path-errors-"));
    temps.push(temp);
    const file = join(temp, "a-file");
    await writeFile(file, "x");
    const run = await runCli(argv(temp, file));
    expect(run.stderr).not.toMatch(/internal error|this is a bug|\n\s+at /);
    expect(run.stderr).toMatch(message);
    expect(run.code).toBe(2);
  });

  it("PATCHWARDEN_DATA_DIR naming a file is named as the variable", async () => {
    const temp = await mkdtemp(join(tmpdir(), "pw-path-errors-"));
    temps.push(temp);
    const file = join(temp, "a-file");
    await writeFile(file, "x");
    const run = await runCli(["lock", "status"], { env: { PATCHWARDEN_DATA_DIR: file } });
    expect(run).toMatchObject({ code: 2, stderr: `patchwarden: PATCHWARDEN_DATA_DIR: \`${file}\`: is a file, not a folder; give the data folder (the server's PATCHWARDEN_DATA_DIR)\n` });
  });

  it("a queue folder that is a file inside the data folder is damaged data, named, exit 1", async () => {
    const temp = await mkdtemp(join(tmpdir(), "pw-path-errors-"));
    temps.push(temp);
    await writeFile(join(temp, "queue"), "x");
    const run = await runCli(["queue", "list", "--data-dir", temp]);
    expect(run).toMatchObject({ code: 1, stderr: expect.stringContaining(`patchwarden: ${join(temp, "queue", "proposals")}: is not a folder`) });
  });

  it("a receipt log that is a folder inside the data folder names it, exit 2", async () => {
    const temp = await mkdtemp(join(tmpdir(), "pw-path-errors-"));
    temps.push(temp);
    const { mkdir } = await import("node:fs/promises");
    await mkdir(join(temp, "receipts", "receipts.jsonl"), { recursive: true });
    const run = await runCli(["receipts", "tail", "--data-dir", temp]);
    expect(run.stderr).not.toMatch(/internal error|this is a bug/);
    expect(run.stderr).toContain(`\`${join(temp, "receipts", "receipts.jsonl")}\`: is a folder, not a file`);
    expect(run.code).toBe(2);
  });
});

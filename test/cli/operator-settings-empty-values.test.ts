import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { runCli } from "../helpers/run-cli.js";
import { rejection } from "../receipts/helpers.js";

const temps: string[] = [];
async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "pw-settings-empty-"));
  temps.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function folderWithOneReceipt(dataDir: string): Promise<void> {
  const log = await ReceiptLog.open(dataDir, { durable: false });
  await log.append(rejection(1));
}

describe("empty or blank data-folder settings are never taken for a folder", () => {
  it("--data-dir of only spaces is refused as empty, not resolved to a folder named by spaces", async () => {
    const cwd = await scratch();
    const run = await runCli(["receipts", "verify", "--data-dir", "   "], { cwd });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^patchwarden receipts verify: --data-dir: is empty; give the data folder/);
  });

  it("an empty $PATCHWARDEN_DATA_DIR reads as unset: data_dir of $PATCHWARDEN_CONFIG answers, not the working folder", async () => {
    const cwd = await scratch();
    const data = join(cwd, "server-data");
    await folderWithOneReceipt(data);
    const config = join(cwd, "patchwarden.toml");
    await writeFile(config, `data_dir = "server-data"\n`);
    const run = await runCli(["receipts", "verify"], { cwd, env: { PATCHWARDEN_DATA_DIR: "", PATCHWARDEN_CONFIG: config } });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${join(data, "receipts", "receipts.jsonl")}: intact: 1 receipt(s), 1–1, anchored by ${join(data, "receipts", "receipts.head")} at receipt 1\n`);
  });

  it("an empty $PATCHWARDEN_RECEIPT_KEY reads as unset: nothing is signed, and nothing is refused", async () => {
    const cwd = await scratch();
    const data = join(cwd, "data");
    await folderWithOneReceipt(data);
    const run = await runCli(["lock", "status"], { cwd, env: { PATCHWARDEN_RECEIPT_KEY: "", PATCHWARDEN_DATA_DIR: data } });
    expect(run).toEqual({ code: 0, stdout: "no repair locks are held\n", stderr: "" });
  });

  it("data_dir = \"\" in $PATCHWARDEN_CONFIG is refused naming the file, not read as the config's own folder", async () => {
    const cwd = await scratch();
    // The config's own folder holds a log: an empty data_dir must not quietly point at it.
    await folderWithOneReceipt(cwd);
    const config = join(cwd, "patchwarden.toml");
    await writeFile(config, `data_dir = ""\n`);
    const run = await runCli(["receipts", "verify"], { cwd, env: { PATCHWARDEN_CONFIG: config } });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`data_dir in \`${config}\`: must be a path in quotes`);
  });
});

describe("the default data folder, where a command needs a folder that is there", () => {
  it.each([
    ["receipts tail", ["receipts", "tail"]],
    ["receipts export", ["receipts", "export"]],
  ])("%s with no setting at all and no ./data refuses, naming the default, rather than answer with nothing", async (_name, argv) => {
    const cwd = await scratch();
    const run = await runCli(argv, { cwd });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(`patchwarden: the data folder (default ./data): \`${join(cwd, "data")}\`: no such folder; give the data folder (the server's PATCHWARDEN_DATA_DIR)\n`);
  });
});

import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";
import { rejection, steppingClock, tempDirs } from "../receipts/helpers.js";

const temp = tempDirs("verify-reanchor-reports");

async function dataDirWith(count: number): Promise<{ dataDir: string; log: ReceiptLog }> {
  const dataDir = await temp();
  const log = await ReceiptLog.open(dataDir, { clock: steppingClock(), durable: false });
  for (let i = 1; i <= count; i++) await log.append(rejection(i));
  return { dataDir, log };
}

describe("patchwarden receipts verify", () => {
  it("a data folder that is not there has no receipt log: a problem found (exit 1), not bad usage", async () => {
    const missing = join(await temp(), "gone");
    const run = await runCli(["receipts", "verify", "--data-dir", missing]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(join(missing, "receipts", "receipts.jsonl"));
    expect(run.stderr).toBe(`patchwarden: ${join(missing, "receipts", "receipts.jsonl")}: verification failed; see above\n`);
  });

  it("--head naming a folder is refused by the flag's name, exit 2", async () => {
    const { dataDir } = await dataDirWith(1);
    const out = join(await temp(), "copy.jsonl");
    expect((await runCli(["receipts", "export", "--data-dir", dataDir, "--out", out])).code).toBe(0);
    const folder = join(await temp(), "heads");
    await mkdir(folder);
    const run = await runCli(["receipts", "verify", "--log", out, "--head", folder]);
    expect(run).toEqual({
      code: 2,
      stdout: "",
      stderr: `patchwarden: --head: \`${folder}\`: is a folder, not a file; give the head file written beside the export (FILE.head)\n`,
    });
  });

  it("an intact signed log checked without --public-key says how many receipts are signed and how to check them", async () => {
    const dir = await temp();
    expect((await runCli(["receipts", "keygen", "--out", join(dir, "keys")])).code).toBe(0);
    const data = join(dir, "data");
    const env = { PATCHWARDEN_RECEIPT_KEY: join(dir, "keys", "receipt-signing.key") };
    for (let i = 1; i <= 2; i++) {
      const made = await runCli(["runtime-repair-check", "--bundle", fixture("openclaw-runs/green"), "--now", "2026-11-21T05:00:00Z", "--receipt", "--actor", "alice", "--data-dir", data], { env });
      expect(made.stderr).toMatch(new RegExp(`recorded the verdict as receipt ${i}`));
    }
    const run = await runCli(["receipts", "verify", "--data-dir", data]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      `${join(data, "receipts", "receipts.jsonl")}: intact: 2 receipt(s), 1–2, anchored by ${join(data, "receipts", "receipts.head")} at receipt 2; 2 signed (give --public-key to check them)\n`,
    );
  });
});

describe("patchwarden receipts reanchor", () => {
  it("says at which receipt the old head was when there was one, and moves the head to its own receipt", async () => {
    const { dataDir, log } = await dataDirWith(2);
    const run = await runCli(["receipts", "reanchor", "--reason", "checked by hand", "--actor", "alice", "--data-dir", dataDir]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${log.paths.log}: re-anchored at receipt 3 (the head was at receipt 2)\n`);
    expect((await runCli(["receipts", "verify", "--data-dir", dataDir])).stdout).toContain(`anchored by ${log.paths.head} at receipt 3`);
  });
});

import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RepairLocks } from "../../src/locks/repair-locks.js";
import { receiptPaths } from "../../src/receipts/data-dir.js";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { readPastVerdicts, ReplayLogError } from "../../src/replay/past-verdicts.js";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";
import { reseal } from "./recorded-verdicts.js";

let temp: string;
let dataDir: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-replay-prev-"));
  dataDir = join(temp, "data");
  await mkdir(dataDir);
});
afterEach(() => rm(temp, { recursive: true, force: true }));

describe("reading past verdicts follows the chain", () => {
  it("a receipt whose prev names another receipt is refused, though its own hash and its seq check", async () => {
    for (let i = 0; i < 3; i++) {
      const run = await runCli(["runtime-repair-check", "--bundle", fixture("examples/runtime-diagnostics.bundle.yaml"), "--receipt", "--now", "2026-11-21T12:00:00Z"], { env: { PATCHWARDEN_DATA_DIR: dataDir, USER: "patchwarden" } });
      expect(run.code).toBe(0);
    }
    const paths = receiptPaths(dataDir);
    expect((await readPastVerdicts(paths, null)).verdicts).toHaveLength(3);
    const lines = (await readFile(paths.log, "utf8")).split("\n").filter(Boolean);
    // The second receipt made to follow nothing (the genesis), and sealed again; the third still names the second's old hash.
    const forged = reseal(lines[1]!, (body) => body.replace(/"prev":"sha256:[0-9a-f]{64}"/, `"prev":"sha256:${"0".repeat(64)}"`));
    expect(forged).not.toBe(lines[1]);
    lines[1] = forged;
    await writeFile(paths.log, lines.map((line) => `${line}\n`).join(""));
    const read = readPastVerdicts(paths, null);
    await expect(read).rejects.toBeInstanceOf(ReplayLogError);
    await expect(read).rejects.toThrow(/line 2: receipt 2 does not follow receipt 1; the chain is broken/);
  });
});

describe("a receipt that names itself a verdict first and another kind after", () => {
  it("is refused as not the verdict its kind says it is, never read as a verdict", async () => {
    const log = await ReceiptLog.open(dataDir);
    await new RepairLocks(log).acquire({ target: { host: "iskra" }, owner: "piotr", reason: "by hand", now: Date.parse("2026-11-21T11:00:00Z") });
    const paths = receiptPaths(dataDir);
    const lines = (await readFile(paths.log, "utf8")).split("\n").filter(Boolean);
    expect(lines).toHaveLength(1);
    const at = lines[0]!.indexOf('"kind":"');
    expect(at).toBeGreaterThan(0);
    // The same receipt with a first `kind` of `verdict`: JSON keeps the last one, sealed again so its hash checks.
    const forged = reseal(lines[0]!, (body) => `${body.slice(0, at)}"kind":"verdict",${body.slice(at)}`);
    await writeFile(paths.log, `${forged}\n`);
    await writeFile(paths.head, (await readFile(paths.head, "utf8")).replace(/sha256:[0-9a-f]{64}/, forged.slice(forged.lastIndexOf('"hash":"') + 8, -2)));
    await expect(readPastVerdicts(paths, null)).rejects.toThrow(/line 1: receipt 1 is not the verdict its kind says it is/);
  });
});

import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { receiptPaths } from "../../src/receipts/data-dir.js";
import { readPastVerdicts, ReplayLogError } from "../../src/replay/past-verdicts.js";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";
import { reseal } from "./recorded-verdicts.js";

let temp: string;
let dataDir: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-replay-seq-"));
  dataDir = join(temp, "data");
  await mkdir(dataDir);
});
afterEach(() => rm(temp, { recursive: true, force: true }));

const hashOf = (line: string) => line.slice(line.lastIndexOf('"hash":"') + 8, -2);

describe("reading past verdicts follows the numbering", () => {
  it("a receipt that skips a number is refused, though its prev names the receipt before it and the head agrees", async () => {
    for (let i = 0; i < 2; i++) {
      const run = await runCli(["runtime-repair-check", "--bundle", fixture("examples/runtime-diagnostics.bundle.yaml"), "--receipt", "--now", "2026-11-21T12:00:00Z"], { env: { PATCHWARDEN_DATA_DIR: dataDir, USER: "patchwarden" } });
      expect(run.code).toBe(0);
    }
    const paths = receiptPaths(dataDir);
    expect((await readPastVerdicts(paths, null)).verdicts).toHaveLength(2);
    const lines = (await readFile(paths.log, "utf8")).split("\n").filter(Boolean);
    // The second receipt numbered 3, still following the first, sealed again; the head moved to it.
    const forged = reseal(lines[1]!, (body) => body.replace('"seq":2,', '"seq":3,'));
    expect(forged).not.toBe(lines[1]);
    await writeFile(paths.log, `${lines[0]}\n${forged}\n`);
    const head = await readFile(paths.head, "utf8");
    const moved = head.replace(hashOf(lines[1]!), hashOf(forged)).replace(/"seq":\s*2\b/, '"seq":3');
    expect(moved).not.toBe(head);
    await writeFile(paths.head, moved);
    const read = readPastVerdicts(paths, null);
    await expect(read).rejects.toBeInstanceOf(ReplayLogError);
    await expect(read).rejects.toThrow(/line 2: receipt 3 does not follow receipt 1; the chain is broken/);
  });
});

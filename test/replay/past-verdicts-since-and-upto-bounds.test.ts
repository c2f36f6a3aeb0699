import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { receiptPaths } from "../../src/receipts/data-dir.js";
import { readPastVerdicts } from "../../src/replay/past-verdicts.js";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

let temp: string;
let dataDir: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-past-bounds-"));
  dataDir = join(temp, "data");
  await mkdir(dataDir);
});
afterEach(() => rm(temp, { recursive: true, force: true }));

async function recordOne(): Promise<void> {
  const run = await runCli(["runtime-repair-check", "--bundle", fixture("examples/runtime-diagnostics.bundle.yaml"), "--receipt", "--now", "2026-11-21T12:00:00Z"], { env: { PATCHWARDEN_DATA_DIR: dataDir, USER: "patchwarden" } });
  expect(run.code).toBe(0);
}

describe("the past verdicts a replay reads", () => {
  it("include one recorded exactly at `since`, and leave it out from the next millisecond", async () => {
    await recordOne();
    const paths = receiptPaths(dataDir);
    const [verdict] = (await readPastVerdicts(paths, null)).verdicts;
    const at = Date.parse(verdict!.time);
    expect((await readPastVerdicts(paths, at)).verdicts.map((v) => v.seq)).toEqual([verdict!.seq]);
    expect((await readPastVerdicts(paths, at + 1)).verdicts).toEqual([]);
  });

  it("cover no receipt beyond the log's last, whatever `upTo` asks for", async () => {
    await recordOne();
    const read = await readPastVerdicts(receiptPaths(dataDir), null, 10);
    expect(read).toMatchObject({ throughSeq: 1, logFound: true });
    expect(read.verdicts).toHaveLength(1);
  });
});

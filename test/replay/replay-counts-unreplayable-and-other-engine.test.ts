import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readPolicy } from "../../src/policy/read-policy.js";
import { receiptPaths } from "../../src/receipts/data-dir.js";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { readPastVerdicts } from "../../src/replay/past-verdicts.js";
import { replayVerdicts } from "../../src/replay/replay-verdicts.js";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

let temp: string;
let dataDir: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-replay-counts-"));
  dataDir = join(temp, "data");
});
afterEach(() => rm(temp, { recursive: true, force: true }));

/** One verdict recorded with its evidence kept, read back as the replay reads it. */
async function recordOne() {
  const run = await runCli(["runtime-repair-check", "--bundle", fixture("examples/runtime-diagnostics.bundle.yaml"), "--receipt", "--now", "2026-11-21T12:00:00Z"], { env: { PATCHWARDEN_DATA_DIR: dataDir, USER: "patchwarden" } });
  expect(run.code).toBe(0);
  const [past] = (await readPastVerdicts(receiptPaths(dataDir), null)).verdicts;
  return past!;
}

describe("replaying a log whose verdicts share one kept evidence", () => {
  it("lists a verdict whose recorded bundle digest the evidence does not hash to as not replayed, and counts one from another engine", async () => {
    const past = await recordOne();
    const { seq: _seq, time: _time, prev: _prev, hash: _hash, schema: _schema, ...draft } = past;
    const log = await ReceiptLog.open(dataDir);
    const recorded = `sha256:${"0".repeat(64)}`;
    await log.append({ ...draft, bundle_digest: recorded });
    await log.append({ ...draft, engine_version: `${past.engine_version}-older` });
    const report = await replayVerdicts(dataDir, await readPolicy(), { since: null, running: null });
    expect(report).toMatchObject({ through_seq: 3, replayed: 2, unchanged: 2, engine_changed: 1, without_evidence: 0 });
    expect(report.unreplayable).toEqual([{ seq: 2, problem: `its kept evidence hashes to ${past.bundle_digest}, not the recorded ${recorded}` }]);
  });

  it("names evidence it cannot read by the start of its reference only", async () => {
    const past = await recordOne();
    const shard = (await readdir(join(dataDir, "evidence"))).sort()[0]!;
    const [file] = await readdir(join(dataDir, "evidence", shard));
    await rm(join(dataDir, "evidence", shard, file!));
    const report = await replayVerdicts(dataDir, await readPolicy(), { since: null, running: null });
    expect(report.unreplayable).toHaveLength(1);
    const [row] = report.unreplayable;
    expect(row!.seq).toBe(past.seq);
    expect(row!.problem.startsWith(`its evidence ${past.evidence_ref!.slice(0, 12)}… cannot be read: `)).toBe(true);
    expect(row!.problem).not.toContain(past.evidence_ref!);
    expect(row!.problem).not.toContain(temp);
  });
});

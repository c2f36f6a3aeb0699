import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RepairLocks } from "../../src/locks/repair-locks.js";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

// The example bundle is eligible at noon (its target is the gateway service).
const NOON = Date.parse("2026-11-21T12:00:00Z");
const EXAMPLE = fixture("examples/runtime-diagnostics.bundle.yaml");
const iso = (ms: number) => new Date(ms).toISOString();

let temp: string;
let dataDir: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-lock-edge-"));
  dataDir = join(temp, "data");
  await mkdir(dataDir);
});
afterEach(() => rm(temp, { recursive: true, force: true }));

/** A lock on the example's service that runs out one millisecond after noon. */
async function lockUntilJustAfterNoon(): Promise<void> {
  const log = await ReceiptLog.open(dataDir);
  await new RepairLocks(log).acquire({ target: { service: "openclaw-gateway.service" }, owner: "piotr", reason: "gateway config by hand", now: NOON - 60_000, ttlMs: 60_001 });
}

const check = (now: number, extra: string[] = []) => runCli(["runtime-repair-check", "--bundle", EXAMPLE, ...extra, "--now", iso(now)], { env: { PATCHWARDEN_DATA_DIR: dataDir, USER: "patchwarden" } });

describe("runtime-repair-check and a repair lock in its last millisecond", () => {
  it("read-only: holds the verdict one millisecond before the lock runs out, and not at the moment it runs out", async () => {
    await lockUntilJustAfterNoon();
    const held = await check(NOON);
    expect(held.code).toBe(10);
    expect(JSON.parse(held.stdout).reasons).toEqual(expect.arrayContaining([expect.objectContaining({ code: "target_locked" })]));
    const free = await check(NOON + 1);
    expect(free.code).toBe(0);
    expect(JSON.parse(free.stdout).verdict).toBe("eligible_repair_dry_run");
  });

  it("--receipt: holds the recorded verdict one millisecond before the lock runs out", async () => {
    await lockUntilJustAfterNoon();
    const held = await check(NOON, ["--receipt"]);
    expect(held.code).toBe(10);
    expect(JSON.parse(held.stdout).reasons).toEqual(expect.arrayContaining([expect.objectContaining({ code: "target_locked" })]));
  });
});

import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RepairLocks } from "../../src/locks/repair-locks.js";
import { receiptPaths } from "../../src/receipts/data-dir.js";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import type { Receipt } from "../../src/receipts/receipt-schema.js";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

// The example bundle is eligible at noon (its target is the gateway service).
const NOON = "2026-11-21T12:00:00Z";
const EXAMPLE = fixture("examples/runtime-diagnostics.bundle.yaml");

let temp: string;
let dataDir: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-receipt-locks-"));
  dataDir = join(temp, "data");
  await mkdir(dataDir);
});
afterEach(() => rm(temp, { recursive: true, force: true }));

async function receipts(): Promise<Receipt[]> {
  const text = await readFile(receiptPaths(dataDir).log, "utf8");
  return text.trim().split("\n").map((line) => JSON.parse(line) as Receipt);
}

describe("runtime-repair-check --receipt while an operator holds a repair lock", () => {
  it("holds the verdict at needs_human, prints and records it so", async () => {
    const log = await ReceiptLog.open(dataDir);
    await new RepairLocks(log).acquire({ target: { service: "openclaw-gateway.service" }, owner: "piotr", reason: "gateway config by hand", now: Date.parse(NOON) - 60_000 });

    const run = await runCli(["runtime-repair-check", "--bundle", EXAMPLE, "--receipt", "--now", NOON], { env: { PATCHWARDEN_DATA_DIR: dataDir, USER: "patchwarden" } });
    expect(run.code).toBe(10);
    const printed = JSON.parse(run.stdout) as { verdict: string; reasons: Array<{ code: string; message: string }> };
    expect(printed.verdict).toBe("needs_human");
    expect(printed.reasons).toEqual(expect.arrayContaining([expect.objectContaining({ code: "target_locked", message: expect.stringContaining("locked by `piotr`") })]));
    const recorded = (await receipts()).at(-1);
    expect(recorded).toMatchObject({ kind: "verdict", actor: "patchwarden", verdict: "needs_human" });
  });

  it("gives the engine's verdict again once the lease has run out", async () => {
    const log = await ReceiptLog.open(dataDir);
    await new RepairLocks(log).acquire({ target: { service: "openclaw-gateway.service" }, owner: "piotr", reason: "gateway config by hand", now: Date.parse(NOON) - 60_000 });
    const later = await runCli(["runtime-repair-check", "--bundle", EXAMPLE, "--receipt", "--now", "2026-11-21T14:00:00Z"], { env: { PATCHWARDEN_DATA_DIR: dataDir, USER: "patchwarden" } });
    expect(later.code).not.toBe(10);
    expect((await receipts()).at(-1)).toMatchObject({ kind: "verdict", verdict: JSON.parse(later.stdout).verdict });
  });
});

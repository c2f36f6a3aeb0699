import { copyFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";
import { tempDirs } from "../receipts/helpers.js";

// audit-and-locks.md, "What the chain cannot prove": keep checkpoints (a copy of receipts.head, or
// the FILE.head of `receipts export --out`) and later run
//   patchwarden receipts verify --log <data>/receipts/receipts.jsonl --head old-checkpoint.head
// which "proves the log still holds that checkpoint's receipt with that hash". A checkpoint is
// behind the log by design; the report must not tell the operator a crash happened and that "the
// next append brings it up to date" (no append ever touches the checkpoint file).
const temp = tempDirs("checkpoint");
const BUNDLE = fixture("examples/runtime-diagnostics.bundle.yaml");

describe("receipts verify --head CHECKPOINT, as audit-and-locks.md prescribes", () => {
  it("reports the checkpoint as found, not as a head left behind by a crash", async () => {
    const dir = await temp();
    const dataDir = join(dir, "data");
    const record = () => runCli(["runtime-repair-check", "--bundle", BUNDLE, "--receipt", "--actor", "alice", "--data-dir", dataDir], { now: Date.parse("2026-11-21T12:00:00Z") });
    expect((await record()).code).toBe(0);
    await copyFile(join(dataDir, "receipts", "receipts.head"), join(dir, "old-checkpoint.head"));
    expect((await record()).code).toBe(0);
    expect((await record()).code).toBe(0);
    const run = await runCli(["receipts", "verify", "--log", join(dataDir, "receipts", "receipts.jsonl"), "--head", join(dir, "old-checkpoint.head")]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("intact");
    expect(run.stdout).toContain("old-checkpoint.head is a checkpoint at receipt 1: the log holds that receipt with its hash, and goes on to receipt 3");
    expect(run.stdout).not.toMatch(/a crash between an append and the head update/);
  });
});

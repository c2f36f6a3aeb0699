import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readPolicy } from "../../src/policy/read-policy.js";
import { rejudge } from "../../src/replay/rejudge.js";
import { recordedEligible } from "./recorded-verdicts.js";

let temp: string;
let dataDir: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-rejudge-unknown-"));
  dataDir = join(temp, "data");
});
afterEach(() => rm(temp, { recursive: true, force: true }));

describe("a recorded reason code this engine does not know (renamed since)", () => {
  it("counts as a hold: its going is a looser row naming it, never an unchanged one", async () => {
    const { past, snapshot } = await recordedEligible(dataDir);
    const policy = await readPolicy();
    const unchanged = rejudge(past, snapshot, policy, null);
    expect(unchanged).toMatchObject({ ok: true, result: { direction: "unchanged" } });
    const renamed = { ...past, reason_codes: [...past.reason_codes, "evidence_too_old_v0"] };
    const outcome = rejudge(renamed, snapshot, policy, null);
    expect(outcome).toMatchObject({ ok: true, result: { direction: "loosened", reasons_removed: ["evidence_too_old_v0"], loosened_checks: ["evidence_too_old_v0"] } });
  });

  it("held by a repair lock, it makes the recorded verdict without the lock a hold, not an eligible one", async () => {
    const { past, snapshot } = await recordedEligible(dataDir);
    const held = { ...past, verdict: "needs_human" as const, reason_codes: [...past.reason_codes.filter((c) => c !== "dry_run_only"), "target_locked", "evidence_too_old_v0"] };
    const outcome = rejudge(held, snapshot, await readPolicy(), null);
    expect(outcome).toMatchObject({ ok: true, result: { held_by_lock: true, without_lock: { before: "needs_human", after: "eligible_repair_dry_run" }, direction: "loosened" } });
  });
});

describe("a verdict a repair lock held", () => {
  it("with a block and a hold recorded, is the block once the lock is taken out", async () => {
    const { past, snapshot } = await recordedEligible(dataDir);
    const held = { ...past, verdict: "blocked" as const, reason_codes: ["hard_manual_class", "evidence_stale", "target_locked"] };
    const outcome = rejudge(held, snapshot, await readPolicy(), null);
    expect(outcome).toMatchObject({ ok: true, result: { held_by_lock: true, without_lock: { before: "blocked", after: "eligible_repair_dry_run" }, direction: "loosened" } });
  });
});

describe("a verdict whose kept evidence does not hash to the recorded bundle digest", () => {
  it("is not replayed, and says both digests", async () => {
    const { past, snapshot } = await recordedEligible(dataDir);
    const recorded = `sha256:${"0".repeat(64)}`;
    const outcome = rejudge({ ...past, bundle_digest: recorded }, snapshot, await readPolicy(), null);
    expect(outcome).toEqual({ ok: false, seq: past.seq, problem: `its kept evidence hashes to ${past.bundle_digest}, not the recorded ${recorded}` });
  });
});

describe("a receipt whose reason codes were cut short", () => {
  it("the mark that says so is no check: judged again alike, the row is unchanged, not looser", async () => {
    const { past, snapshot } = await recordedEligible(dataDir);
    const marked = { ...past, reason_codes: [...past.reason_codes, "reason_codes_truncated"] };
    const outcome = rejudge(marked, snapshot, await readPolicy(), null);
    expect(outcome).toMatchObject({ ok: true, result: { direction: "unchanged", reasons_removed: ["reason_codes_truncated"] } });
    expect(outcome.ok && outcome.result.loosened_checks).toBeFalsy();
  });
});

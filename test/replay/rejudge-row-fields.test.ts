import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parsePolicy } from "../../src/policy/parse-policy.js";
import type { Policy } from "../../src/policy/policy.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { rejudge } from "../../src/replay/rejudge.js";
import { recordedEligible } from "./recorded-verdicts.js";
import { SHIPPED } from "../helpers/policy-text.js";

let temp: string;
let dataDir: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-rejudge-row-"));
  dataDir = join(temp, "data");
});
afterEach(() => rm(temp, { recursive: true, force: true }));

/** The shipped policy with runtime_diagnostics made mutating and hard-manual for `service_restart`. */
function stricterDiagnostics(): Policy {
  const from = 'description = "Collect read-only diagnostics (doctor lint, health probes, logs) for the operator."\nmutation = false';
    expect(SHIPPED).toContain(from);
  const parsed = parsePolicy(Buffer.from(SHIPPED.replace(from, from.replace("mutation = false", 'mutation = true\nhard_manual = ["service_restart"]'))));
  if (!parsed.ok) throw new Error(parsed.diagnostics.map((d) => `${d.path}: ${d.message}`).join("\n"));
  return parsed.policy;
}

describe("a past verdict judged again", () => {
  it("lists the reason codes a stricter candidate adds in code order, whatever order the engine gives them", async () => {
    const { past, snapshot } = await recordedEligible(dataDir);
    const outcome = rejudge(past, snapshot, stricterDiagnostics(), await readPolicy());
    expect(outcome).toMatchObject({ ok: true, result: { before: "eligible_repair_dry_run", after: "needs_human", direction: "tightened" } });
    expect(outcome.ok && outcome.result.reasons_added).toEqual(["hard_manual_class", "mutation_requires_operator"]);
    expect(outcome.ok && outcome.result.reasons_removed).toEqual(["dry_run_only"]);
  });

  it("says when the verdict was first judged by another engine version, and not when by this one", async () => {
    const { past, snapshot } = await recordedEligible(dataDir);
    const policy = await readPolicy();
    expect(rejudge(past, snapshot, policy, null)).toMatchObject({ ok: true, result: { engine_changed: false } });
    expect(rejudge({ ...past, engine_version: `${past.engine_version}-older` }, snapshot, policy, null)).toMatchObject({ ok: true, result: { engine_changed: true } });
  });

  it("keeps the proposal and the Forgejo target the verdict was recorded for", async () => {
    const { past, snapshot } = await recordedEligible(dataDir);
    const target = { repo: "iskra/openclaw-config", pr: 7 };
    const outcome = rejudge({ ...past, proposal_id: "p_replay_row_keeps_it", target }, snapshot, await readPolicy(), null);
    expect(outcome).toMatchObject({ ok: true, result: { seq: past.seq, proposal_id: "p_replay_row_keeps_it", target } });
    const bare = rejudge(past, snapshot, await readPolicy(), null);
    expect(bare.ok && "proposal_id" in bare.result).toBe(false);
    expect(bare.ok && "target" in bare.result).toBe(false);
  });

  it("is refused, naming the value, when its evaluated_at is not a time", async () => {
    const { past, snapshot } = await recordedEligible(dataDir);
    const outcome = rejudge({ ...past, evaluated_at: "yesterday noon" }, snapshot, await readPolicy(), null);
    expect(outcome).toEqual({ ok: false, seq: past.seq, problem: "its evaluated_at `yesterday noon` is not a time" });
  });

  it("reads a recorded code named like a built-in property (`constructor`) as an unknown code, so a hold", async () => {
    const { past, snapshot } = await recordedEligible(dataDir);
    const held = { ...past, verdict: "needs_human" as const, reason_codes: [...past.reason_codes.filter((c) => c !== "dry_run_only"), "target_locked", "constructor"] };
    const outcome = rejudge(held, snapshot, await readPolicy(), null);
    expect(outcome).toMatchObject({ ok: true, result: { held_by_lock: true, without_lock: { before: "needs_human", after: "eligible_repair_dry_run" }, direction: "loosened", reasons_removed: ["constructor"] } });
  });
});

import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SHIPPED_POLICY_PATH } from "../../src/policy/read-policy.js";
import { replayVerdicts } from "../../src/replay/replay-verdicts.js";
import { bundleOf, item } from "../helpers/bundles.js";
import { runCli } from "../helpers/run-cli.js";
import { policyOf } from "../helpers/policy-text.js";

// A hold recorded under an older, stricter policy and gone under the candidate is a loosening,
// even when the verdict stays blocked.

let temp: string;
let dataDir: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-recorded-checks-"));
  dataDir = join(temp, "data");
});
afterEach(() => rm(temp, { recursive: true, force: true }));

const RESTART_CLASS = 'mutation = true\nrisk = "high"\nrequires = ["runtime-truth-report", "autoheal-dashboard", "incident-packet"]\nhard_manual = ["service_restart"]\n';
const NON_MUTATING_RESTART = 'mutation = false\nrisk = "high"\nrequires = ["runtime-truth-report", "autoheal-dashboard", "incident-packet"]\n';

describe("a hold recorded under an older policy and gone now", () => {
  it("is a dropped check (looser) even when the running policy already lacks it and the verdict stays blocked", async () => {
    const bundle = bundleOf("gateway_restart", [item("runtime-truth-report"), item("autoheal-dashboard"), item("incident-packet")], { target: { host: "iskra", service: "openclaw-gateway.service" } });
    const path = join(temp, "restart.json");
    await writeFile(path, JSON.stringify(bundle));
    // Recorded under the shipped policy at 12:45: blocked (stale dashboard), with the class's holds.
    const run = await runCli(["runtime-repair-check", "--bundle", path, "--receipt", "--now", "2026-11-21T12:45:00Z"], { env: { PATCHWARDEN_DATA_DIR: dataDir, USER: "patchwarden" } });
    expect(run.code).toBe(20);
    const shipped = await readFile(SHIPPED_POLICY_PATH, "utf8");
    expect(shipped).toContain(RESTART_CLASS);
    const nonMutating = policyOf(shipped.replace(RESTART_CLASS, NON_MUTATING_RESTART));
    // The policy in force is already the non-mutating one: no setting differs, and judging under it
    // gives the same reasons, but the receipt's `mutation_requires_operator` and `hard_manual_class` are gone.
    const report = await replayVerdicts(dataDir, nonMutating, { since: null, running: nonMutating });
    expect(report.policy_loosenings).toEqual([]);
    expect(report.loosened).toBe(1);
    expect(report.changed[0]).toMatchObject({ before: "blocked", after: "blocked", direction: "loosened", loosened_checks: ["hard_manual_class", "mutation_requires_operator"] });
  });
});

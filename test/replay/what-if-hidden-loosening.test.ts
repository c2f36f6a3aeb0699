import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readPolicy, SHIPPED_POLICY_PATH } from "../../src/policy/read-policy.js";
import { composeWhatIfProposal } from "../../src/queue/compose-what-if.js";
import { renderReplayText, renderWhatIfMarkdown } from "../../src/replay/render-replay.js";
import { runWhatIf } from "../../src/replay/what-if.js";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

// Loosenings the replay of past verdicts alone did not see (found by review): a check lifted while
// another reason keeps its code, and loosenings no past verdict exercises.

let temp: string;
let dataDir: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-whatif-hidden-"));
  dataDir = join(temp, "data");
});
afterEach(() => rm(temp, { recursive: true, force: true }));

/** The shipped example (runtime-truth-report from 11:50, max 1h; dashboard from 11:55, max 30m) judged and recorded at `now`. */
async function record(now: string): Promise<void> {
  const run = await runCli(["runtime-repair-check", "--bundle", fixture("examples/runtime-diagnostics.bundle.yaml"), "--receipt", "--actor", "piotr", "--now", now], { env: { PATCHWARDEN_DATA_DIR: dataDir } });
  expect(run.stderr).toContain("recorded the verdict");
}

async function candidate(edit: (text: string) => string): Promise<Buffer> {
  const shipped = await readFile(SHIPPED_POLICY_PATH, "utf8");
  const text = edit(shipped);
  expect(text).not.toBe(shipped);
  return Buffer.from(text);
}

const SHA = "ef98532add3b2feb7a137426bba1248724367df5";
/** The what-if as the server runs it: the shipped policy is the one in force. */
const whatIf = async (bytes: Buffer) => runWhatIf(dataDir, { path: "policies/iskra-openclaw.v0.toml", ref: SHA, bytes }, null, await readPolicy());
const statusOf = (result: Awaited<ReturnType<typeof runWhatIf>>) =>
  composeWhatIfProposal({ result, target: { repo: "o/r", kind: "commit", sha: SHA }, trigger: "push", delivery: null, now: "2026-11-21T14:00:00.000Z", actor: "patchwarden" }, "p_00000000000000000001").post;

const DASHBOARD_30M = '[evidence.autoheal-dashboard]\nmax_age = "30m"';

describe("a loosening hidden behind another reason with the same code", () => {
  it("a raised max_age that lifts one of two evidence_stale blocks counts as looser, naming the lifted check", async () => {
    // At 13:00 both items are stale: runtime-truth-report 70m > 1h, dashboard 65m > 30m.
    await record("2026-11-21T13:00:00Z");
    const result = await whatIf(await candidate((t) => t.replace(DASHBOARD_30M, '[evidence.autoheal-dashboard]\nmax_age = "2h"')));
    const { whatIf: w, report } = result;
    expect(report!.replayed).toBe(1);
    expect(w.loosened).toBe(1);
    // The code stays (the truth report is still stale); the dashboard's staleness no longer blocks.
    expect(report!.changed).toEqual([
      expect.objectContaining({ before: "blocked", after: "blocked", direction: "loosened", reasons_added: [], reasons_removed: [], loosened_checks: ["evidence_stale at bundle.evidence[1].generated_at"] }),
    ]);
    expect(statusOf(result)).toMatchObject({ kind: "status", state: "pending" });
    expect(renderReplayText(report!, "candidate")).toContain("(lifted: evidence_stale at bundle.evidence[1].generated_at)");
    expect(renderWhatIfMarkdown(report!, { path: "p.toml", ref: SHA })).toContain("(lifted: `evidence_stale at bundle.evidence[1].generated_at`)");
  });

  it("lifting neither check is no loosening: the candidate raises max_age too little", async () => {
    await record("2026-11-21T13:00:00Z");
    // 40m still leaves the 65-minute-old dashboard stale.
    const { report } = await whatIf(await candidate((t) => t.replace(DASHBOARD_30M, '[evidence.autoheal-dashboard]\nmax_age = "40m"')));
    expect(report).toMatchObject({ replayed: 1, loosened: 0, changed: [] });
    // The raised max_age itself is still a looser setting.
    expect(report!.policy_loosenings).toEqual([{ path: "policy.evidence.autoheal-dashboard.max_age", change: "raised from `30m` to `40m`: older `autoheal-dashboard` evidence passes" }]);
  });
});

describe("a loosening no past verdict exercises", () => {
  it("a max_age raised from 1h to 30 days is not reported as `success`", async () => {
    await record("2026-11-21T12:00:00Z"); // fresh: eligible, under either policy
    const result = await whatIf(await candidate((t) => t.replace('[evidence.runtime-truth-report]\nmax_age = "1h"', '[evidence.runtime-truth-report]\nmax_age = "30d"')));
    expect(result.whatIf).toMatchObject({ problems: [], replayed: 1, loosened: 0 });
    expect(result.report!.policy_loosenings).toEqual([{ path: "policy.evidence.runtime-truth-report.max_age", change: "raised from `1h` to `30d`: older `runtime-truth-report` evidence passes" }]);
    expect(statusOf(result)).toMatchObject({ state: "pending", description: expect.stringMatching(/^1 looser setting; no past verdict would change \(1 replayed\) \(proposal p_/) });
    const body = renderWhatIfMarkdown(result.report!, { path: "p.toml", ref: SHA });
    expect(body).toMatch(/^### 🟡 Patchwarden policy what-if: 1 looser setting; /);
    expect(body).toContain("- `policy.evidence.runtime-truth-report.max_age`: raised from \\`1h\\` to \\`30d\\`: older \\`runtime-truth-report\\` evidence passes");
  });

  it("with no past verdict at all, a candidate that makes a mutating class non-mutating is not `success`", async () => {
    // A new server: no receipt yet, so nothing to replay.
    // cache_cleanup: mutation = true, hard_manual = ["destructive"] → mutation = false, no hard-manual class.
    const result = await whatIf(
      await candidate((t) =>
        t.replace(
          'mutation = true\nrisk = "medium"\nrequires = ["runtime-truth-report", "autoheal-dashboard", "remediation-proposal"]\nhard_manual = ["destructive"]',
          'mutation = false\nrisk = "medium"\nrequires = ["runtime-truth-report", "autoheal-dashboard", "remediation-proposal"]',
        ),
      ),
    );
    expect(result.whatIf).toMatchObject({ problems: [], replayed: 0, not_replayed: 0 });
    expect(result.report!.policy_loosenings.map((l) => l.path)).toEqual(["policy.repair_classes.cache_cleanup.mutation", "policy.repair_classes.cache_cleanup.hard_manual"]);
    expect(statusOf(result)).toMatchObject({ state: "pending" });
  });

  it("a candidate that only tightens, or changes nothing the gate reads, is still `success`", async () => {
    await record("2026-11-21T12:00:00Z");
    const stricter = await whatIf(await candidate((t) => t.replace(DASHBOARD_30M, '[evidence.autoheal-dashboard]\nmax_age = "20m"').replace("# Check a change with:", "# Check any change with:")));
    expect(stricter.report!.policy_loosenings).toEqual([]);
    expect(statusOf(stricter)).toMatchObject({ state: "success" });
  });
});

describe("a loosening of the drift risk rules", () => {
  it("making systemd units low risk and not hard-manual is not `success` over a past drift verdict held by that rule", async () => {
    const run = await runCli(["runtime-repair-check", "--bundle", fixture("drift/unit-behind.bundle.json"), "--receipt", "--actor", "piotr", "--now", "2026-11-21T12:00:00Z"], { env: { PATCHWARDEN_DATA_DIR: dataDir } });
    expect(run.code).toBe(10); // needs_human: drift_high_risk, drift_hard_manual
    const result = await whatIf(
      await candidate((t) =>
        t.replace(
          '{ glob = "**/*.{service,socket,timer,target,path,mount}", risk = "high", hard_manual = "service_restart", description = "systemd units: a change takes a daemon-reload and a restart" },',
          '{ glob = "**/*.{service,socket,timer,target,path,mount}", risk = "low", description = "systemd units" },',
        ),
      ),
    );
    // The past verdict stays held: its plan still carries the old policy's label, and the gate keeps the worse.
    expect(result.whatIf).toMatchObject({ problems: [], replayed: 1, loosened: 0 });
    // Under the candidate a plan of the same drift, labelled by the candidate's rules, would be eligible.
    expect(result.report!.policy_loosenings).toEqual([
      { path: "policy.drift.risk_rules[0].risk", change: "`**/*.{service,socket,timer,target,path,mount}` lowered from `high` to `low`" },
      { path: "policy.drift.risk_rules[0].hard_manual", change: "`**/*.{service,socket,timer,target,path,mount}` no longer names hard-manual class `service_restart` (`drift_hard_manual`)" },
    ]);
    expect(statusOf(result)).toMatchObject({ state: "pending" });
  });
});

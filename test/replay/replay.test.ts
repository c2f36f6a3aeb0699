import { mkdir, readdir, readFile, rm, writeFile, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RepairLocks } from "../../src/locks/repair-locks.js";
import { SHIPPED_POLICY_PATH } from "../../src/policy/read-policy.js";
import { receiptPaths } from "../../src/receipts/data-dir.js";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import type { ReplayReport } from "../../src/replay/replay-verdicts.js";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";
import { recordedWithoutEvidence } from "./recorded-verdicts.js";

const EXAMPLE = fixture("examples/runtime-diagnostics.bundle.yaml");
const GREEN = fixture("openclaw-runs/green");

let temp: string;
let dataDir: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-replay-"));
  dataDir = join(temp, "data");
});
afterEach(() => rm(temp, { recursive: true, force: true }));

const env = () => ({ PATCHWARDEN_DATA_DIR: dataDir, USER: "patchwarden" });

async function record(bundle: string, now: string): Promise<number> {
  return (await runCli(["runtime-repair-check", "--bundle", bundle, "--receipt", "--now", now], { env: env() })).code;
}

/** The shipped policy with one line replaced: a candidate edit. */
async function candidate(name: string, from: string, to: string): Promise<string> {
  const text = await readFile(SHIPPED_POLICY_PATH, "utf8");
  expect(text).toContain(from);
  const path = join(temp, `${name}.toml`);
  await writeFile(path, text.replace(from, to));
  return path;
}

async function replay(args: string[] = []): Promise<{ code: number; report: ReplayReport; stderr: string }> {
  const run = await runCli(["replay", "--json", ...args], { env: env() });
  return { code: run.code, report: JSON.parse(run.stdout) as ReplayReport, stderr: run.stderr };
}

/** Three past decisions: eligible at noon, blocked at 12:40 (the dashboard is 45 min old), needs_human for the upgrade. */
async function threeVerdicts(): Promise<void> {
  expect(await record(EXAMPLE, "2026-11-21T12:00:00Z")).toBe(0);
  expect(await record(EXAMPLE, "2026-11-21T12:40:00Z")).toBe(20);
  expect(await record(GREEN, "2026-11-21T05:00:00Z")).toBe(10);
}

const LOOSER_DASHBOARD = ['[evidence.autoheal-dashboard]\nmax_age = "30m"', '[evidence.autoheal-dashboard]\nmax_age = "1h"'] as const;
const STRICTER_TRUTH = ['[evidence.runtime-truth-report]\nmax_age = "1h"', '[evidence.runtime-truth-report]\nmax_age = "5m"'] as const;

describe("patchwarden replay", () => {
  it("under the policy that judged them, nothing changes", async () => {
    await threeVerdicts();
    const { code, report } = await replay();
    expect(code).toBe(0);
    expect(report).toMatchObject({ replayed: 3, unchanged: 3, loosened: 0, tightened: 0, changed: [], through_seq: 3, without_evidence: 0, unreplayable: [] });
  });

  it("lists what a looser edit loosens, with the reasons that went away, and --fail-on-loosen fails", async () => {
    await threeVerdicts();
    const policy = await candidate("looser", ...LOOSER_DASHBOARD);
    const { report } = await replay(["--policy", policy]);
    expect(report).toMatchObject({ replayed: 3, unchanged: 2, loosened: 1, tightened: 0 });
    expect(report.changed).toEqual([
      expect.objectContaining({ seq: 2, before: "blocked", after: "eligible_repair_dry_run", direction: "loosened", evaluated_at: "2026-11-21T12:40:00.000Z", repair_class: "runtime_diagnostics", reasons_added: ["dry_run_only"], reasons_removed: ["evidence_stale"] }),
    ]);
    const failing = await runCli(["replay", "--policy", policy, "--fail-on-loosen"], { env: env() });
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/1 verdict would change: 1 looser, 0 stricter\n {2}LOOSER {3}blocked → eligible_repair_dry_run {2}receipt 2, judged 2026-11-21T12:40:00.000Z, runtime_diagnostics {2}\[-evidence_stale \+dry_run_only\]/);
    expect(failing.stderr).toContain("1 past verdict(s) would be looser under");
  });

  it("lists what a stricter edit tightens; --fail-on-loosen passes", async () => {
    await threeVerdicts();
    const policy = await candidate("stricter", ...STRICTER_TRUTH);
    const run = await runCli(["replay", "--policy", policy, "--fail-on-loosen", "--json"], { env: env() });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as ReplayReport;
    // The milder tightening first: the more permissive change leads.
    expect(report.changed.map((c) => [c.seq, c.before, c.after, c.direction])).toEqual([
      [3, "needs_human", "blocked", "tightened"],
      [1, "eligible_repair_dry_run", "blocked", "tightened"],
    ]);
  });

  it("--since replays only verdicts recorded from then on", async () => {
    await threeVerdicts();
    const { report } = await replay(["--since", "2100-01-01T00:00:00Z"]);
    expect(report).toMatchObject({ replayed: 0, since: "2100-01-01T00:00:00.000Z", through_seq: 3 });
    const bad = await runCli(["replay", "--since", "yesterday"], { env: env() });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--since: `yesterday` is not an ISO-8601 time");
  });

  it("holds a verdict that a repair lock held when it was made", async () => {
    const log = await ReceiptLog.open(dataDir);
    await new RepairLocks(log).acquire({ target: { host: "iskra" }, owner: "piotr", reason: "by hand", now: Date.parse("2026-11-21T11:00:00Z") });
    expect(await record(EXAMPLE, "2026-11-21T12:00:00Z")).toBe(10);
    const { report } = await replay();
    expect(report).toMatchObject({ replayed: 1, unchanged: 1, changed: [] });
  });

  it("says which verdicts it could not replay, and --fail-on-loosen then fails", async () => {
    await threeVerdicts();
    // A verdict recorded without its evidence kept, and a kept snapshot that went missing.
    await recordedWithoutEvidence(dataDir);
    const shard = (await readdir(join(dataDir, "evidence"))).sort()[0]!;
    const [file] = await readdir(join(dataDir, "evidence", shard));
    await rm(join(dataDir, "evidence", shard, file!));
    const { report } = await replay();
    expect(report.without_evidence).toBe(1);
    expect(report.unreplayable.length).toBeGreaterThan(0);
    expect(report.unreplayable[0]!.problem).toMatch(/cannot be read: it is not in the evidence store/);
    const strict = await runCli(["replay", "--fail-on-loosen"], { env: env() });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain("not replayed: 1 verdict recorded without its evidence kept (start after it with --since)");
    expect(strict.stderr).toContain("could not be replayed, so the replay cannot show that nothing loosens");
  });

  it("stops at a damaged verdict receipt rather than replay part of the log", async () => {
    await threeVerdicts();
    const path = receiptPaths(dataDir).log;
    await writeFile(path, (await readFile(path, "utf8")).replace('"verdict":"blocked"', '"verdict":"eligible_repair_dry_run"'));
    const run = await runCli(["replay"], { env: env() });
    expect(run).toMatchObject({ code: 1, stdout: "" });
    expect(run.stderr).toMatch(/line 2: .*receipts verify.*the replay would miss verdicts/);
  });

  it("on an empty data folder, replays nothing and says so", async () => {
    await mkdir(dataDir);
    const run = await runCli(["replay"], { env: env() });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^replayed 0 past verdicts .*\nno verdict would change\nnote: the data folder holds no receipt log \(neither receipts.jsonl nor receipts.head\), so there was nothing to replay\n$/);
  });

  it("on an empty folder (the mount point of an unmounted volume), does not pass --fail-on-loosen", async () => {
    const mountPoint = join(temp, "mnt", "patchwarden-data");
    await mkdir(mountPoint, { recursive: true });
    // Dashboard evidence may now be a day old instead of 30 minutes: a loosening.
    const policy = await candidate("looser", LOOSER_DASHBOARD[0], '[evidence.autoheal-dashboard]\nmax_age = "24h"');
    const run = await runCli(["replay", "--policy", policy, "--data-dir", mountPoint, "--fail-on-loosen"], { env: {} });
    expect(run).toEqual({ code: 2, stdout: "", stderr: `patchwarden: \`${mountPoint}\` holds no receipt log (no receipts/receipts.jsonl, no receipts/receipts.head), so there is nothing to check; give the server's data folder (its PATCHWARDEN_DATA_DIR)\n` });
    // Nor on a candidate that changes nothing: the folder is still not the server's.
    expect((await runCli(["replay", "--data-dir", mountPoint, "--fail-on-loosen"], { env: {} })).code).toBe(2);
  });

  it("on a data folder with a receipt log but no verdict yet, --fail-on-loosen judges the candidate as written", async () => {
    await ReceiptLog.open(dataDir); // a new server's folder: anchored at receipt 0
    const looser = await candidate("looser", LOOSER_DASHBOARD[0], '[evidence.autoheal-dashboard]\nmax_age = "24h"');
    const failing = await runCli(["replay", "--policy", looser, "--fail-on-loosen"], { env: env() });
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain("1 setting looser than the running policy (iskra-openclaw, sha256:");
    expect(failing.stdout).toContain("  LOOSER   policy.evidence.autoheal-dashboard.max_age: raised from `30m` to `24h`: older `autoheal-dashboard` evidence passes");
    expect(failing.stderr).toContain(`1 setting(s) of ${looser} are looser than the running ${SHIPPED_POLICY_PATH}`);
    const stricter = await runCli(["replay", "--policy", await candidate("stricter", ...STRICTER_TRUTH), "--fail-on-loosen"], { env: env() });
    expect(stricter.code).toBe(0);
  });

  it("compares with the policy named by --running, else the server's ($PATCHWARDEN_POLICY)", async () => {
    await threeVerdicts();
    const looser = await candidate("looser", ...LOOSER_DASHBOARD);
    // Against a running policy that is already as loose, the shipped one loosens nothing.
    const against = await runCli(["replay", "--policy", SHIPPED_POLICY_PATH, "--running", looser, "--fail-on-loosen", "--json"], { env: env() });
    expect(against.code).toBe(0);
    expect(JSON.parse(against.stdout)).toMatchObject({ policy_loosenings: [], loosened: 0 });
    const fromEnv = await runCli(["replay", "--policy", SHIPPED_POLICY_PATH, "--fail-on-loosen"], { env: { ...env(), PATCHWARDEN_POLICY: looser } });
    expect(fromEnv.code).toBe(0);
    // Without --policy the running policy is replayed, compared with itself.
    const itself = await replay();
    expect(itself.report).toMatchObject({ running: { name: "iskra-openclaw" }, policy_loosenings: [], loosened: 0 });
    expect(await runCli(["replay", "--running", " "], { env: env() })).toMatchObject({ code: 2, stderr: expect.stringContaining("--running: is empty") });
  });

  it("on a data folder that is not there (a typo, an unmounted volume), does not pass --fail-on-loosen", async () => {
    const typo = join(temp, "dta");
    const given = await runCli(["replay", "--data-dir", typo, "--fail-on-loosen"], { env: env() });
    expect(given).toEqual({ code: 2, stdout: "", stderr: `patchwarden: --data-dir: \`${typo}\`: no such folder; give the data folder (the server's PATCHWARDEN_DATA_DIR)\n` });
    const fromEnv = await runCli(["replay", "--fail-on-loosen"], { env: { ...env(), PATCHWARDEN_DATA_DIR: typo } });
    expect(fromEnv).toMatchObject({ code: 2, stdout: "", stderr: expect.stringContaining(`PATCHWARDEN_DATA_DIR: \`${typo}\`: no such folder`) });
  });

  it("with verdicts it could not replay, says no *replayed* verdict would change", async () => {
    await threeVerdicts();
    await rm(join(dataDir, "evidence"), { recursive: true, force: true });
    const run = await runCli(["replay"], { env: env() });
    expect(run.stdout).toMatch(/^replayed 0 past verdicts .*\nno replayed verdict would change\n/);
    expect(run.stdout).not.toMatch(/^no verdict would change$/m);
  });
});

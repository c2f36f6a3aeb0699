import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RepairLocks } from "../../src/locks/repair-locks.js";
import { readPolicy, SHIPPED_POLICY_PATH } from "../../src/policy/read-policy.js";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { rankChanges, type Rejudged } from "../../src/replay/rejudge.js";
import { headline, renderReplayText, renderWhatIfMarkdown } from "../../src/replay/render-replay.js";
import { runWhatIf } from "../../src/replay/what-if.js";
import { bundleOf, item } from "../helpers/bundles.js";
import { runCli } from "../helpers/run-cli.js";

let temp: string;
let dataDir: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-whatif-loosening-"));
  dataDir = join(temp, "data");
});
afterEach(() => rm(temp, { recursive: true, force: true }));

const env = () => ({ PATCHWARDEN_DATA_DIR: dataDir, USER: "patchwarden" });

const RESTART_CLASS = 'mutation = true\nrisk = "high"\nrequires = ["runtime-truth-report", "autoheal-dashboard", "incident-packet"]\nhard_manual = ["service_restart"]\n';
const NON_MUTATING_RESTART = 'mutation = false\nrisk = "high"\nrequires = ["runtime-truth-report", "autoheal-dashboard", "incident-packet"]\n';

/** A gateway_restart verdict recorded at `now` (evidence from 11:50, bundle from 11:55); its exit status. */
async function recordRestart(now: string): Promise<number> {
  const bundle = bundleOf("gateway_restart", [item("runtime-truth-report"), item("autoheal-dashboard"), item("incident-packet")], { target: { host: "iskra", service: "openclaw-gateway.service" } });
  const path = join(temp, "restart.json");
  await writeFile(path, JSON.stringify(bundle));
  return (await runCli(["runtime-repair-check", "--bundle", path, "--receipt", "--now", now], { env: env() })).code;
}

async function lockIskra(): Promise<void> {
  await new RepairLocks(await ReceiptLog.open(dataDir)).acquire({ target: { host: "iskra" }, owner: "piotr", reason: "by hand", now: Date.parse("2026-11-21T11:00:00Z") });
}

async function whatIf(edit: (shipped: string) => string) {
  const shipped = await readFile(SHIPPED_POLICY_PATH, "utf8");
  const candidate = edit(shipped);
  expect(candidate).not.toBe(shipped);
  return runWhatIf(dataDir, { path: "policies/iskra-openclaw.v0.toml", ref: "abc", bytes: Buffer.from(candidate) }, null, await readPolicy());
}

const nonMutatingRestart = (shipped: string) => shipped.replace(RESTART_CLASS, NON_MUTATING_RESTART);

describe("the what-if reports every loosening", () => {
  it("a candidate that makes gateway_restart non-mutating loosens a past restart verdict, even one a lock also held", async () => {
    await lockIskra();
    expect(await recordRestart("2026-11-21T12:00:00Z")).toBe(10);
    const { whatIf: result, report } = await whatIf(nonMutatingRestart);
    expect(headline(report!)).toBe("2 looser settings; 1 past verdict would change, 1 looser, 0 stricter (1 replayed)");
    expect(result.loosened).toBe(1);
    const [row] = report!.changed;
    // The lock is held again (needs_human on both sides); the direction compares the policy's verdicts without it.
    expect(row).toMatchObject({ before: "needs_human", after: "needs_human", direction: "loosened", held_by_lock: true, without_lock: { before: "needs_human", after: "eligible_repair_dry_run" }, reasons_removed: ["hard_manual_class", "mutation_requires_operator"], reasons_added: [] });
    expect(row!.loosened_checks).toBeUndefined();
    expect(renderReplayText(report!, "candidate")).toContain("LOOSER   needs_human → needs_human (held by a repair lock; without it needs_human → eligible_repair_dry_run)");
    expect(renderWhatIfMarkdown(report!, { path: "p.toml", ref: "abc" })).toContain("| **looser** | `needs_human` | `needs_human` (held by a repair lock; without it `needs_human` → `eligible_repair_dry_run`) |");
  });

  it("still shows nothing under the policy that judged a lock-held verdict", async () => {
    await lockIskra();
    expect(await recordRestart("2026-11-21T12:00:00Z")).toBe(10);
    const { whatIf: result, report } = await whatIf((shipped) => shipped.replace("# Check a change with:", "# Check any change with:"));
    expect(result.loosened).toBe(0);
    expect(headline(report!)).toBe("no past verdict would change (1 replayed)");
  });

  it("reports a dropped safeguard on a verdict that stays blocked for another reason", async () => {
    // At 12:45 the 11:50 dashboard is 55 minutes old, over its 30m: blocked whatever the class says.
    expect(await recordRestart("2026-11-21T12:45:00Z")).toBe(20);
    const { whatIf: result, report } = await whatIf(nonMutatingRestart);
    expect(result.loosened).toBe(1);
    expect(headline(report!)).not.toMatch(/^no past verdict would change/);
    expect(report!.changed[0]).toMatchObject({ before: "blocked", after: "blocked", direction: "loosened", loosened_checks: ["hard_manual_class at bundle.candidate.repair_class", "mutation_requires_operator at bundle.candidate.repair_class"] });
    expect(renderReplayText(report!, "candidate")).toContain("note: 1 looser row keeps its verdict (or a stricter one), but a check that held or blocked it is gone");
  });

  it("does not count checks the engine skips once a stricter one fires: a removed class only tightens", async () => {
    expect(await recordRestart("2026-11-21T12:00:00Z")).toBe(10);
    expect(await recordRestart("2026-11-21T12:45:00Z")).toBe(20);
    const { whatIf: result, report } = await whatIf((shipped) => shipped.replace(/\[repair_classes\.gateway_restart\]\n[\s\S]*?\n\n/, ""));
    expect(result).toMatchObject({ problems: [], loosened: 0, tightened: 1 });
    expect(report!.changed).toEqual([expect.objectContaining({ before: "needs_human", after: "blocked", direction: "tightened", reasons_added: ["repair_class_unknown"] })]);
    expect(report!.changed[0]!.loosened_checks).toBeUndefined();
  });
});

describe("rankChanges", () => {
  const row = (seq: number, direction: Rejudged["direction"], before: Rejudged["before"], after: Rejudged["after"], extra: Partial<Rejudged> = {}): Rejudged => ({
    seq, recorded_at: "", evaluated_at: "", repair_class: null, before, after, direction, reasons_added: [], reasons_removed: [], held_by_lock: false, engine_changed: false, ...extra,
  });

  it("puts every looser row first, ranking a lock-held row by its verdicts without the lock", () => {
    const ranked = rankChanges([
      row(1, "tightened", "eligible_repair_dry_run", "blocked"),
      row(2, "loosened", "blocked", "blocked", { loosened_checks: ["evidence_stale"] }),
      row(3, "loosened", "needs_human", "needs_human", { held_by_lock: true, without_lock: { before: "needs_human", after: "eligible_repair_dry_run" } }),
      row(4, "loosened", "needs_human", "blocked", { loosened_checks: ["mutation_requires_operator"] }),
      row(5, "loosened", "blocked", "eligible_repair_dry_run"),
    ]);
    expect(ranked.map((r) => r.seq)).toEqual([5, 3, 2, 4, 1]);
  });
});

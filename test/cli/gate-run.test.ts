import { cp, mkdir, mkdtemp, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RepairLocks } from "../../src/locks/repair-locks.js";
import { EvidenceStore } from "../../src/queue/evidence-store.js";
import { ProposalStore } from "../../src/queue/proposal-store.js";
import { receiptPaths } from "../../src/receipts/data-dir.js";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import type { Receipt } from "../../src/receipts/receipt-schema.js";
import { verifyReceiptLog } from "../../src/receipts/verify-log.js";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";
import { verdictProposals } from "../helpers/verdict-proposals.js";

// The example bundle is eligible at noon; the green safe-update run needs a human at 05:00.
const NOON = "2026-11-21T12:00:00Z";
const EXAMPLE = fixture("examples/runtime-diagnostics.bundle.yaml");
const GREEN_DIGEST = "sha256:8e75e00dad3491b0b4722b93c9fe36ada989523814aa1910e92b1765baab9983";

let temp: string;
let evidenceDir: string;
let dataDir: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-gate-run-"));
  evidenceDir = join(temp, "evidence");
  dataDir = join(temp, "data");
  // A named data folder must exist for a read-only run (a typo is refused, not read as "no locks").
  await mkdir(dataDir);
  await mkdir(evidenceDir);
});
afterEach(() => rm(temp, { recursive: true, force: true }));

const at = (iso: string) => new Date(iso);
const env = () => ({ PATCHWARDEN_DATA_DIR: dataDir, USER: "patchwarden" });
const check = (args: string[], now = NOON) => runCli(["runtime-repair-check", ...args, "--now", now], { env: env() });

async function receipts(): Promise<Receipt[]> {
  const text = await readFile(receiptPaths(dataDir).log, "utf8");
  return text.trim().split("\n").map((line) => JSON.parse(line) as Receipt);
}

describe("runtime-repair-check --latest-in", () => {
  it("judges the newest bundle file or run folder by modification time, skipping hidden names", async () => {
    await cp(EXAMPLE, join(evidenceDir, "diagnostics.bundle.yaml"));
    await utimes(join(evidenceDir, "diagnostics.bundle.yaml"), at("2026-11-21T03:00:00Z"), at("2026-11-21T03:00:00Z"));
    await cp(fixture("openclaw-runs/green"), join(evidenceDir, "run-0400"), { recursive: true });
    await utimes(join(evidenceDir, "run-0400", "evidence-bundle.json"), at("2026-11-21T04:00:00Z"), at("2026-11-21T04:00:00Z"));
    await writeFile(join(evidenceDir, ".diagnostics.bundle.yaml.partial"), "{ half-written");
    await writeFile(join(evidenceDir, "notes.txt"), "not evidence");

    const newestIsRun = await check(["--latest-in", evidenceDir], "2026-11-21T05:00:00Z");
    expect(newestIsRun.code).toBe(10);
    expect(JSON.parse(newestIsRun.stdout)).toMatchObject({ verdict: "needs_human", bundle: { digest: GREEN_DIGEST } });

    await utimes(join(evidenceDir, "diagnostics.bundle.yaml"), at("2026-11-21T04:30:00Z"), at("2026-11-21T04:30:00Z"));
    const newestIsFile = await check(["--latest-in", evidenceDir]);
    expect(newestIsFile.code).toBe(0);
    expect(JSON.parse(newestIsFile.stdout)).toMatchObject({ verdict: "eligible_repair_dry_run", bundle: { format: "patchwarden.evidence_bundle.v1" } });
  });

  it("blocks, naming the folder, when it holds no bundle or does not exist", async () => {
    await writeFile(join(evidenceDir, "README"), "bundles go here");
    for (const folder of [evidenceDir, join(temp, "missing")]) {
      const run = await check(["--latest-in", folder, "--format", "text"]);
      expect(run.code).toBe(20);
      expect(run.stdout).toContain("bundle_not_found");
      expect(run.stdout).toContain(folder);
    }
  });

  it("refuses --bundle together with --latest-in, and neither", async () => {
    const both = await check(["--bundle", EXAMPLE, "--latest-in", evidenceDir]);
    expect(both).toMatchObject({ code: 2, stdout: "" });
    expect(both.stderr).toContain("--bundle and --latest-in: give one of them, not both");
    const neither = await check([]);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain("--latest-in /var/lib/iskra/evidence");
  });
});

describe("runtime-repair-check --propose and --receipt", () => {
  it("queues a pending proposal, recorded first, with the judged bytes kept; posts nothing", async () => {
    const run = await check(["--bundle", EXAMPLE, "--propose", "iskra/ops#7"]);
    expect(run.code).toBe(0);
    const [proposal, ...others] = await verdictProposals(new ProposalStore(dataDir));
    expect(others).toEqual([]);
    expect(proposal).toMatchObject({ state: "pending", trigger: "schedule", delivery: null, target: { repo: "iskra/ops", kind: "issue", number: 7 }, verdict: { verdict: "eligible_repair_dry_run" } });
    expect(run.stderr).toContain(`proposed ${proposal!.id} (eligible_repair_dry_run) for iskra/ops#7`);
    expect(JSON.parse(run.stdout)).toEqual(proposal!.verdict);
    expect((await receipts()).map((r) => [r.kind, r.actor, r.proposal_id, "evidence_ref" in r ? r.evidence_ref : null])).toEqual([
      ["verdict", "patchwarden", proposal!.id, proposal!.evidence_ref],
      ["proposal.proposed", "patchwarden", proposal!.id, proposal!.evidence_ref],
    ]);
    const kept = await new EvidenceStore(dataDir).load(proposal!.evidence_ref);
    expect(Buffer.from(kept.bundle!).equals(await readFile(EXAMPLE))).toBe(true);
    const paths = receiptPaths(dataDir);
    expect((await verifyReceiptLog({ log: paths.log, head: paths.head, requireHead: true })).ok).toBe(true);
  });

  it("proposes a commit status for owner/name@SHA", async () => {
    const sha = "ef98532add3b2feb7a137426bba1248724367df5";
    expect((await check(["--bundle", EXAMPLE, "--propose", `iskra/ops@${sha}`])).code).toBe(0);
    const [proposal] = await new ProposalStore(dataDir).list();
    expect(proposal).toMatchObject({ target: { kind: "commit", sha }, post: { kind: "status", state: "success" } });
  });

  it("refuses a target it cannot read, an empty one included (an unset PATCHWARDEN_GATE_TARGET), and writes nothing", async () => {
    for (const [target, says] of [
      ["", "--propose: an empty target is not a target; write `owner/name#N`"],
      ["iskra/ops", "--propose: `iskra/ops` is not a target"],
      ["iskra/ops@ef98532", "(a commit is named by its full lowercase id, 40 or 64 hex digits)"],
      ["iskra/ops#0", "`iskra/ops#0` is not a target"],
    ] as const) {
      const run = await check(["--bundle", EXAMPLE, "--propose", target]);
      expect(run.code, target).toBe(2);
      expect(run.stderr).toContain(says);
    }
    await expect(readFile(receiptPaths(dataDir).log)).rejects.toThrow(/ENOENT/);
  });

  it("--receipt records the verdict with its evidence and queues nothing", async () => {
    const run = await check(["--bundle", EXAMPLE, "--receipt"]);
    expect(run.code).toBe(0);
    const [receipt, ...rest] = await receipts();
    expect(rest).toEqual([]);
    expect(receipt).toMatchObject({ kind: "verdict", seq: 1, actor: "patchwarden", verdict: "eligible_repair_dry_run", evaluated_at: "2026-11-21T12:00:00.000Z" });
    expect(receipt!.kind === "verdict" && run.stderr.includes(`recorded the verdict as receipt 1 (evidence ${receipt!.evidence_ref!.slice(0, 12)})`)).toBe(true);
    expect(await new ProposalStore(dataDir).list()).toEqual([]);
  });

  it("needs a login to record under", async () => {
    const run = await runCli(["runtime-repair-check", "--bundle", EXAMPLE, "--receipt", "--now", NOON], { env: { PATCHWARDEN_DATA_DIR: dataDir } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--actor: missing");
  });
});

describe("runtime-repair-check and repair locks", () => {
  it("holds an eligible verdict at needs_human while an operator's lock covers the target, read-only or recording", async () => {
    const log = await ReceiptLog.open(dataDir);
    await new RepairLocks(log).acquire({ target: { service: "openclaw-gateway.service" }, owner: "piotr", reason: "gateway config by hand", now: Date.parse(NOON) - 60_000 });
    const before = await readFile(receiptPaths(dataDir).log);

    const readOnly = await check(["--bundle", EXAMPLE]);
    expect(readOnly.code).toBe(10);
    expect(JSON.parse(readOnly.stdout).reasons).toEqual(expect.arrayContaining([expect.objectContaining({ code: "target_locked", message: expect.stringContaining("locked by `piotr`") })]));
    expect(await readFile(receiptPaths(dataDir).log)).toEqual(before);

    const proposed = await check(["--bundle", EXAMPLE, "--propose", "iskra/ops#7"]);
    expect(proposed.code).toBe(10);
    expect((await receipts()).at(-1)).toMatchObject({ kind: "proposal.proposed", verdict: "needs_human" });

    // Two hours later the lease has expired: the verdict is the engine's again.
    expect((await check(["--bundle", EXAMPLE], "2026-11-21T14:00:00Z")).code).not.toBe(10);
  });

  it("gives no verdict when the receipt log is damaged: the locks cannot be known", async () => {
    const locks = new RepairLocks(await ReceiptLog.open(dataDir));
    for (const host of ["one", "two"]) await locks.acquire({ target: { host }, owner: "piotr", reason: "elsewhere", now: Date.parse(NOON) });
    // A receipt cut out of the middle of the chain.
    const path = receiptPaths(dataDir).log;
    await writeFile(path, (await readFile(path, "utf8")).split("\n").slice(1).join("\n"));
    const run = await check(["--bundle", EXAMPLE]);
    expect(run).toMatchObject({ code: 1, stdout: "" });
    expect(run.stderr).toContain("receipts verify");
  });
});

import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, expect } from "vitest";
import { readEvidenceSnapshot } from "../../src/evidence/read-evidence.js";
import { ForgejoWriter } from "../../src/forgejo/writer.js";
import { RepairLocks } from "../../src/locks/repair-locks.js";
import { parsePolicy } from "../../src/policy/parse-policy.js";
import type { Policy } from "../../src/policy/policy.js";
import { readPolicy, SHIPPED_POLICY_PATH } from "../../src/policy/read-policy.js";
import type { ApproveDeps } from "../../src/queue/approve.js";
import { EvidenceStore } from "../../src/queue/evidence-store.js";
import type { OperatorDeps } from "../../src/queue/operator-actions.js";
import type { Proposal, VerdictProposal, WhatIfProposal } from "../../src/queue/proposal.js";
import { ProposalStore, type ProposalStoreOptions } from "../../src/queue/proposal-store.js";
import { proposeVerdict } from "../../src/queue/propose-verdict.js";
import { proposeWhatIf } from "../../src/queue/propose-what-if.js";
import { receiptsOfProposal } from "../../src/receipts/proposal-receipts.js";
import { trustHooks } from "../../src/receipts/proposal-recorder.js";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import { FakeForgejo, FORGEJO_ORIGIN, startMsw } from "../helpers/fake-forgejo.js";
import { fixture } from "../helpers/paths.js";
import { REPO } from "../helpers/server-harness.js";

export { FORGEJO_ORIGIN, REPO };
export const EXAMPLE_TIME = Date.parse("2026-11-21T12:00:00Z");
/** Fresh at EXAMPLE_TIME, stale two hours later; its candidate names host `iskra`, so approving it takes a repair lock. */
export const BUNDLE = "examples/runtime-diagnostics.bundle.yaml";
export const COMMIT = "ef98532add3b2feb7a137426bba1248724367df5";

/** The shipped policy's path in the repository, where a what-if's candidate is pushed. */
export const WHAT_IF_FILE = "policies/iskra-openclaw.v0.toml";

const DASHBOARD = '[evidence.autoheal-dashboard]\nmax_age = "30m"';

/** The shipped policy's bytes with the autoheal dashboard's maximum age changed: a what-if candidate. */
export async function dashboardMaxAge(maxAge: string): Promise<Buffer> {
  const shipped = await readFile(SHIPPED_POLICY_PATH, "utf8");
  expect(shipped).toContain(DASHBOARD);
  return Buffer.from(shipped.replace(DASHBOARD, `[evidence.autoheal-dashboard]\nmax_age = "${maxAge}"`));
}

export function policyOf(bytes: Buffer): Policy {
  const parsed = parsePolicy(bytes);
  if (!parsed.ok) throw new Error("invalid policy");
  return parsed.policy;
}

export function writerWith(token = "write-token"): ForgejoWriter {
  return new ForgejoWriter({ baseUrl: new URL(FORGEJO_ORIGIN), token, timeoutMs: 2000, maxBytes: 1 << 20, fetch, retryDelayMs: 10 });
}

export interface QueueTest {
  fake: FakeForgejo;
  msw: ReturnType<typeof startMsw>;
  dir: string;
  store: ProposalStore;
  evidence: EvidenceStore;
  log: ReceiptLog;
  locks: RepairLocks;
  /** Judges a bundle into the queue as the server does, receipts included. */
  /** As the gate worker runs one job; `recovered`: run again after a stop or crash, `signal`: a stop during it. */
  /** `edit`: the bundle's text changed before it is judged (written beside the data folder as `SEED.bundle.yaml`). */
  propose(options?: { seed?: string; bundle?: string; edit?: (text: string) => string; target?: Proposal["target"]; now?: number; store?: ProposalStore; recovered?: boolean; signal?: AbortSignal }): Promise<VerdictProposal>;
  /**
   * A what-if of `candidate` (the shipped policy file's new bytes) pushed in COMMIT, judged against
   * the shipped policy and queued with its receipt as the server does; `recovered`: run again after a crash.
   */
  proposeWhatIf(candidate: Buffer, options?: { recovered?: boolean; store?: ProposalStore }): Promise<WhatIfProposal>;
  /** What approveProposal needs, one minute after EXAMPLE_TIME. */
  approveDeps(overrides?: Partial<ApproveDeps>): Promise<ApproveDeps>;
  /** What approveAsOperator needs (receipts and locks too), one minute after EXAMPLE_TIME. */
  operatorDeps(overrides?: Partial<OperatorDeps & { writer: ForgejoWriter }>): Promise<OperatorDeps & { writer: ForgejoWriter }>;
  /** The kinds of the receipts about one proposal, oldest first. */
  receiptKinds(id: string): Promise<string[]>;
  /** The CLI's environment for this data folder and the fake Forgejo. */
  env(extra?: Record<string, string>): Record<string, string>;
}

/** A data folder with a queue and a receipt log, and a fake Forgejo that allows writes, fresh for each test. */
export function useQueue(storeOptions: ProposalStoreOptions = {}): QueueTest {
  const fake = new FakeForgejo();
  const msw = startMsw(fake);
  afterAll(() => msw.close());
  const test = { fake, msw } as QueueTest;

  beforeEach(async () => {
    test.dir = await mkdtemp(join(tmpdir(), "pw-queue-"));
    test.store = new ProposalStore(test.dir, storeOptions);
    test.evidence = new EvidenceStore(test.dir);
    test.log = await ReceiptLog.open(test.dir);
    test.locks = new RepairLocks(test.log);
    fake.issue(REPO, 3);
    fake.posted.length = 0;
    fake.statuses.clear();
    fake.violations.length = 0;
    fake.requests.length = 0;
    fake.writesAllowed = true;
    fake.failure = null;
  });
  afterEach(async () => {
    msw.resetHandlers();
    await rm(test.dir, { recursive: true, force: true });
    expect(fake.violations).toEqual([]);
  });

  test.propose = async (options = {}) => {
    const seed = options.seed ?? "d-1";
    const now = options.now ?? EXAMPLE_TIME;
    let path = fixture(options.bundle ?? BUNDLE);
    if (options.edit !== undefined) {
      const edited = join(test.dir, `${seed}.bundle.yaml`);
      await writeFile(edited, options.edit(await readFile(path, "utf8")));
      path = edited;
    }
    const snapshot = await readEvidenceSnapshot(path);
    return proposeVerdict(snapshot, options.target ?? { repo: REPO, kind: "issue", number: 3 }, { trigger: "label", delivery: { id: seed, event: "issues" }, idSeed: seed }, {
      evidence: test.evidence,
      proposals: options.store ?? test.store,
      policy: await readPolicy(),
      now,
      actor: "patchwarden",
      outputs: new Set(["queue"]),
      printLine: () => {},
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...trustHooks(test.log, test.locks, () => now, { actor: "patchwarden", ...(options.recovered === true ? { mayRepeat: true } : {}) }),
    });
  };
  test.proposeWhatIf = async (candidate, options = {}) => {
    const trust = trustHooks(test.log, test.locks, () => EXAMPLE_TIME, { actor: "patchwarden", mayRepeat: options.recovered === true });
    const source = { trigger: "push" as const, delivery: { id: "d-push", event: "push" }, idSeed: "d-push" };
    return proposeWhatIf({ path: WHAT_IF_FILE, ref: COMMIT, bytes: candidate }, { repo: REPO, kind: "commit", sha: COMMIT }, source, {
      dataDir: test.dir,
      running: await readPolicy(),
      proposals: options.store ?? test.store,
      now: EXAMPLE_TIME,
      actor: "patchwarden",
      outputs: new Set(["queue"]),
      printLine: () => {},
      record: trust.recordWhatIf,
      recordedThroughSeq: trust.whatIfRecordedThrough,
    });
  };
  test.approveDeps = async (overrides = {}) => ({ store: test.store, evidence: test.evidence, policy: await readPolicy(), now: EXAMPLE_TIME + 60_000, writer: writerWith(), actor: "piotr", ...overrides });
  test.operatorDeps = async (overrides = {}) => ({ ...(await test.approveDeps()), log: test.log, locks: test.locks, ...overrides });
  test.receiptKinds = async (id) => (await receiptsOfProposal(test.log.paths.log, id)).map((receipt) => receipt.kind);
  test.env = (extra = {}) => ({ PATCHWARDEN_DATA_DIR: test.dir, PATCHWARDEN_FORGEJO_WRITE_TOKEN: "write-token", PATCHWARDEN_FORGEJO_URL: FORGEJO_ORIGIN, ...extra });
  return test;
}

import type { EvidenceSnapshot } from "../evidence/snapshot.js";
import type { Policy } from "../policy/policy.js";
import { EvidenceDataError } from "../queue/evidence-data-error.js";
import { EvidenceStore } from "../queue/evidence-store.js";
import { receiptPaths } from "../receipts/data-dir.js";
import { formatIsoTime } from "../time/iso-time.js";
import { readPastVerdicts } from "./past-verdicts.js";
import { policyLoosenings, type PolicyLoosening } from "./policy-loosenings.js";
import { rankChanges, rejudge, type Rejudged } from "./rejudge.js";

export interface ReplayReport {
  policy: { name: string; digest: string };
  /** The policy in force that `policy` was compared with; null when none was given. */
  running: { name: string; digest: string } | null;
  /** Every way `policy` is laxer than the running one, whether or not a past verdict shows it. */
  policy_loosenings: PolicyLoosening[];
  since: string | null;
  /** False when the data folder holds no receipt log (neither receipts.jsonl nor receipts.head). */
  receipt_log: boolean;
  /** The receipts read: 1 … through_seq. */
  through_seq: number;
  /** Past verdicts judged again. */
  replayed: number;
  unchanged: number;
  loosened: number;
  tightened: number;
  /** Every changed verdict, most permissive change first. */
  changed: Rejudged[];
  /** Replayed verdicts first judged by another engine version. */
  engine_changed: number;
  /** Verdict receipts written without their evidence kept (before `evidence_ref` existed, or by hand). */
  without_evidence: number;
  /** Verdicts whose kept evidence is missing, changed, or no longer matches the receipt. */
  unreplayable: Array<{ seq: number; problem: string }>;
}

// Hourly gate runs judge the same bytes again and again: keep recent snapshots, not all of them.
const SNAPSHOT_CACHE = 64;

export interface ReplayOptions {
  /** epoch ms, or null for the whole log */
  since: number | null;
  /** the last receipt to read, or null for all of them */
  upTo?: number | null;
  /**
   * The policy in force. Given, each verdict is judged under it too, and a check it makes that
   * `policy` drops counts as looser (rejudge.ts); and the two policies are compared as written.
   */
  running: Policy | null;
}

/**
 * Judges the evidence behind every verdict receipt again, under `policy`, each as of its own time.
 * Reads the receipt log and the evidence store; writes nothing.
 */
export async function replayVerdicts(dataDir: string, policy: Policy, options: ReplayOptions): Promise<ReplayReport> {
  const { since, running } = options;
  const { verdicts, throughSeq, logFound } = await readPastVerdicts(receiptPaths(dataDir), since, options.upTo ?? null);
  const store = new EvidenceStore(dataDir);
  const cache = new Map<string, EvidenceSnapshot | Error>();
  const changed: Rejudged[] = [];
  const report: ReplayReport = {
    policy: { name: policy.name, digest: policy.digest },
    running: running === null ? null : { name: running.name, digest: running.digest },
    policy_loosenings: running === null ? [] : policyLoosenings(running, policy),
    since: since === null ? null : formatIsoTime(since),
    receipt_log: logFound,
    through_seq: throughSeq,
    replayed: 0,
    unchanged: 0,
    loosened: 0,
    tightened: 0,
    changed: [],
    engine_changed: 0,
    without_evidence: 0,
    unreplayable: [],
  };
  for (const past of verdicts) {
    if (past.evidence_ref === undefined) {
      report.without_evidence++;
      continue;
    }
    const snapshot = await cachedLoad(store, cache, past.evidence_ref);
    if (snapshot instanceof Error) {
      report.unreplayable.push({ seq: past.seq, problem: `its evidence ${past.evidence_ref.slice(0, 12)}… cannot be read: ${snapshot.message}` });
      continue;
    }
    const outcome = rejudge(past, snapshot, policy, running);
    if (!outcome.ok) {
      report.unreplayable.push({ seq: outcome.seq, problem: outcome.problem });
      continue;
    }
    if (outcome.result.direction !== "unchanged") changed.push(outcome.result);
    report.replayed++;
    report[outcome.result.direction]++;
    if (outcome.result.engine_changed) report.engine_changed++;
  }
  report.changed = rankChanges(changed);
  return report;
}

async function cachedLoad(store: EvidenceStore, cache: Map<string, EvidenceSnapshot | Error>, ref: string): Promise<EvidenceSnapshot | Error> {
  const hit = cache.get(ref);
  if (hit !== undefined) {
    cache.delete(ref);
    cache.set(ref, hit);
    return hit;
  }
  let loaded: EvidenceSnapshot | Error;
  try {
    loaded = await store.load(ref);
  } catch (error) {
    // What is wrong, never where: the path would differ by how the data folder is named (and the
    // what-if's digest with it), and a what-if comment would publish it.
    loaded = error instanceof EvidenceDataError ? new Error(error.fault) : error instanceof Error ? error : new Error(String(error));
  }
  cache.set(ref, loaded);
  if (cache.size > SNAPSHOT_CACHE) cache.delete(cache.keys().next().value!);
  return loaded;
}

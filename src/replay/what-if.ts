import { formatDiagnostic } from "../diagnostics/diagnostic.js";
import { canonicalJson } from "../integrity/canonical-json.js";
import { sha256Hex } from "../integrity/digest.js";
import { parsePolicy } from "../policy/parse-policy.js";
import type { Policy } from "../policy/policy.js";
import type { WhatIf } from "../queue/proposal.js";
import { replayVerdicts, type ReplayReport } from "./replay-verdicts.js";

/** A policy file as a push or pull request changed it. */
export interface PolicyChange {
  path: string;
  /** The commit it was read at. */
  ref: string;
  bytes: Uint8Array;
  /** Set when the file could not be read; then there is nothing to replay. */
  unreadable?: string;
}

export interface WhatIfResult {
  whatIf: WhatIf;
  /** null when the candidate policy is invalid (nothing to replay). */
  report: ReplayReport | null;
}

/**
 * The what-if of one policy change: the candidate parsed and validated like any policy, compared
 * with the policy in force, then every past verdict replayed under it and under the running one
 * (`patchwarden replay`). Reads the data folder; writes nothing.
 *
 * @param upTo replay only receipts 1 … upTo (to repeat an earlier what-if exactly), or null for all
 * @param running the policy in force: what the candidate would replace. Required: without it a
 *   loosening no past verdict exercises would go unseen.
 */
export async function runWhatIf(dataDir: string, change: PolicyChange, upTo: number | null, running: Policy): Promise<WhatIfResult> {
  const text = Buffer.from(change.bytes).toString("utf8");
  const parsed = change.unreadable === undefined ? parsePolicy(change.bytes) : { ok: false as const, diagnostics: [] };
  if (!parsed.ok) {
    const problems = change.unreadable !== undefined ? [change.unreadable] : parsed.diagnostics.map(formatDiagnostic);
    return {
      whatIf: { path: change.path, ref: change.ref, policy_toml: text, policy_digest: null, problems, through_seq: 0, replayed: 0, loosened: 0, tightened: 0, not_replayed: 0, looser_settings: 0, result_digest: sha256Hex(canonicalJson({ problems })) },
      report: null,
    };
  }
  const report = await replayVerdicts(dataDir, parsed.policy, { since: null, upTo, running });
  return {
    whatIf: {
      path: change.path,
      ref: change.ref,
      policy_toml: text,
      policy_digest: parsed.policy.digest,
      problems: [],
      through_seq: report.through_seq,
      replayed: report.replayed,
      loosened: report.loosened,
      tightened: report.tightened,
      not_replayed: report.without_evidence + report.unreplayable.length,
      looser_settings: report.policy_loosenings.length,
      result_digest: resultDigest(report),
    },
    report,
  };
}

/** What a reviewer saw: every change and every count. Replaying the same bytes again gives the same digest. */
export function resultDigest(report: ReplayReport): string {
  const { since: _since, ...result } = report;
  return sha256Hex(canonicalJson(result));
}

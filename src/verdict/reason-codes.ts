/**
 * Every reason the engine can give, with the best verdict it still allows. Codes are stable:
 * operators grep for them, golden cases assert them, and a renamed code is a breaking change.
 *
 *   block → the verdict is `blocked`
 *   hold  → the verdict is at best `needs_human`
 *   info  → explains, changes nothing
 */
export const REASON_CODES = {
  // reading the bundle
  bundle_unreadable: { severity: "block", doc: "The bundle could not be read (missing file, permission, Forgejo unreachable or answering errors), or could not be told from text Forgejo does not show (a description whose Markdown the fence scan cannot follow from a line on which patchwarden is mentioned)." },
  bundle_not_found: { severity: "block", doc: "A gate check was asked for, but no evidence bundle was found where it was asked (attachments, fenced block, pushed files)." },
  bundle_too_large: { severity: "block", doc: "The bundle is over its size limit (8 MiB, 1 MiB as YAML), or something a delivery is read from is over its own: a description scanned for fenced bundles, a changed evidence file that is no bundle, an answer from Forgejo (a pull request changing too many files). An artifact over its limit is `artifact_missing`." },
  bundle_malformed: { severity: "block", doc: "Not valid UTF-8 JSON/YAML, a repeated key (in YAML also an alias or a list as a key, or two keys that become one property), a YAML tag beyond the core ones, a number JSON cannot hold, or a YAML alias bomb." },
  bundle_invalid: { severity: "block", doc: "The bundle does not follow its contract (schema, types, times without zone)." },
  bundle_from_future: { severity: "block", doc: "The bundle is dated later than now plus the clock-skew tolerance." },
  bundle_digest_mismatch: { severity: "block", doc: "The producer's own record pins different bundle bytes than the ones read." },
  // the producer's record disagreeing with itself
  producer_record_inconsistent: { severity: "block", doc: "The producer's files contradict each other (statuses, verdicts, digests)." },
  producer_artifact_unknown: { severity: "hold", doc: "The producer lists an artifact the gate does not know how to judge." },
  // the candidate
  repair_class_unknown: { severity: "block", doc: "The candidate's repair class is not in the policy." },
  mutation_requires_operator: { severity: "hold", doc: "The repair class mutates the runtime; only the operator may approve it." },
  hard_manual_class: { severity: "hold", doc: "The repair class touches a hard-manual class (restart, deploy, auth/network, destructive, upgrade)." },
  plan_step_hard_manual: { severity: "hold", doc: "A plan step (the candidate's, or one in a `supervised-repair-plan` or `remediation-proposal` item: its steps, their nested steps or its rollback) is a hard-manual action." },
  plan_step_not_allowed: { severity: "hold", doc: "A plan step (the candidate's, or one in plan evidence) is not among the repair class's allowed actions; or a step in plan evidence names no action or carries what the gate cannot judge (a field beside `action`, `description`, `target`, `expect` and `steps`, such as `command` or `argv`; steps nested too deep; a `rollback` that is not a list of steps). The candidate's own steps take only `action`, `description` and `target`: any other field there is `bundle_invalid`." },
  proposed_class_mismatch: { severity: "hold", doc: "A `remediation-proposal` proposes another repair class (`data.proposed_class`) than the candidate's, or a hard-manual class: the fix it proposes is not the one being judged." },
  // the evidence
  evidence_missing: { severity: "block", doc: "Evidence the repair class requires is absent." },
  evidence_stale: { severity: "block", doc: "Evidence is older than the policy's maximum age for its kind, or carries a snapshot older than that (`openclaw health --json`'s `ts` in a runtime-truth report)." },
  evidence_expired: { severity: "block", doc: "Evidence is past its own `expires_at`." },
  evidence_from_future: { severity: "block", doc: "Evidence is dated later than now plus the clock-skew tolerance, or carries a snapshot dated later than the evidence itself (or now) beyond it." },
  evidence_failed: { severity: "block", doc: "Evidence reports `fail`." },
  evidence_warn: { severity: "hold", doc: "Evidence reports `warn`." },
  evidence_unknown: { severity: "hold", doc: "Evidence reports `unknown`, or a field its kind documents in `data` holds a value of the wrong type (`draining: \"yes\"`, `ok: null`), so the gate cannot tell." },
  evidence_data_failed: { severity: "block", doc: "Evidence reports `pass`, `warn` or `unknown`, but its own `data` shows a failure (a draining gateway, `/readyz` not 2xx, health or a channel or account probe not ok, a failed gateway probe, an inactive unit, failed checks, a customization check that did not succeed, a kit verdict, gate decision, handling or file status of `blocked`/`failed` wherever the kit writes it)." },
  evidence_data_degraded: { severity: "hold", doc: "Evidence reports `pass`, but its own `data` shows something short of a pass: a degraded gateway probe, skipped or unaccounted checks (a skip is not a pass), uncovered surfaces (counted, or a required surface of the kit's coverage report not `success`), open incidents (on the autoheal dashboard, or an incident packet's `closed_at: null`), or a last autoheal run that was not `clean`." },
  evidence_contradictory: { severity: "hold", doc: "Two items of one kind and subject disagree: in status, or, for `deploy-drift-probe` items, in the plan they carry (different plan digests)." },
  artifact_missing: { severity: "block", doc: "An artifact the bundle names (or a kit run's `verdict.json`) could not be read: missing, not a regular file, leading outside the bundle's folder, over 8 MiB, or past the 64 MiB the gate reads of one bundle's artifacts in total (so is every artifact after it)." },
  artifact_digest_mismatch: { severity: "block", doc: "An artifact's bytes do not hash to the digest the bundle gives." },
  artifact_digest_unverified: { severity: "info", doc: "An item gives a digest but no artifact to check it against." },
  approval_claim_ignored: { severity: "hold", doc: "The evidence claims an approval; approval comes only from the operator, never from evidence." },
  // repair locks
  target_locked: { severity: "hold", doc: "Another approved repair holds a lock on the candidate's host or service until it expires or an operator releases it." },
  // deploy-drift plans (`deploy-drift-probe` evidence)
  drift_plan_invalid: { severity: "block", doc: "A `deploy-drift-probe` item's data is not a valid drift plan (shape, mode, or a plan that disagrees with itself)." },
  drift_plan_digest_mismatch: { severity: "block", doc: "A drift plan does not hash to its own digest: it was edited after it was made." },
  drift_plan_policy_mismatch: { severity: "block", doc: "What an apply of a drift plan would act on (a file's target, the executor, the deploy lock, the backup location, the postchecks) differs from the gate's own policy: the plan was made under another policy, or edited and digested again." },
  drift_plan_host_mismatch: { severity: "block", doc: "A drift plan compares the repository with another host than the one the bundle's candidate targets (`candidate.target.host`), or the candidate names no host: it says nothing of the target's drift." },
  drift_ignore_mismatch: { severity: "hold", doc: "The two manifests of a drift plan skipped different globs, so files skipped on one side show as added or removed." },
  drift_high_risk: { severity: "hold", doc: "A drift plan changes a high-risk file (systemd units and their drop-ins, auth or network configuration, a mode change or a risky mode, an unmapped path, a link leading outside the tree, a file below a folder held as a link)." },
  drift_medium_risk: { severity: "hold", doc: "A drift plan changes a medium-risk file (code or data the runtime loads, or a file no risk rule matches when the policy's `default_risk` is `medium`): only low-risk drift may go to a dry run unreviewed." },
  drift_hard_manual: { severity: "hold", doc: "A drift plan changes a file in a hard-manual class (e.g. one that takes a service restart)." },
  drift_none: { severity: "info", doc: "The drift plan found no drift: the host matches the repository, and there is nothing to deploy." },
  // outcome notes
  dry_run_only: { severity: "info", doc: "Eligible means a dry run may be prepared; nothing is executed." },
  producer_gate_handling: { severity: "info", doc: "What the producer's own gate decided (e.g. the safe-update kit's conservative handling)." },
} as const satisfies Record<string, { severity: Severity; doc: string }>;

export type Severity = "block" | "hold" | "info";
export type ReasonCode = keyof typeof REASON_CODES;

export function severityOf(code: ReasonCode): Severity {
  return REASON_CODES[code].severity;
}

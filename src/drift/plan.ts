import { quote, type Diagnostic } from "../diagnostics/diagnostic.js";
import { formatIsoTime } from "../time/iso-time.js";
import type { Sha256Digest } from "../integrity/digest.js";
import { RISK_RANK, targetOf, type DriftRules } from "./drift-rules.js";
import { judgeFile } from "./judge-file.js";
import { comparePaths } from "./manifest-path.js";
import type { Manifest, ManifestEntry } from "./manifest-schema.js";
import { planDigest } from "./plan-digest.js";
import { aspectsThatDiffer, PLAN_SCHEMA_ID, RECEIPT_FIELDS, SUPERSEDED_SOURCE, type BackupFile, type DriftPlan, type FileState, type PlanFile, type PlanRisk } from "./plan-schema.js";

export interface PlanInput {
  /** What should be deployed: the repository's tree. */
  local: Manifest;
  /** What is on the host. */
  remote: Manifest;
  rules: DriftRules;
  policy: { name: string; digest: Sha256Digest };
  /** epoch milliseconds */
  now: number;
}

/** Two manifests that cannot both be true; no plan is made of them. `path` is the manifest path, or `manifests`. */
export class ManifestConflictError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(`${diagnostic.path}: ${diagnostic.message}`);
    this.name = "ManifestConflictError";
  }
}

/**
 * Two manifests → the deploy-drift plan. Pure: no file, clock or environment; the same input
 * gives the same plan and digest. Both manifests are canonical (sorted by `comparePaths`), so one
 * merge pass finds every changed, added and removed path.
 */
export function buildPlan({ local, remote, rules, policy, now }: PlanInput): DriftPlan {
  const files: PlanFile[] = [];
  const counts = { changed: 0, added: 0, removed: 0, unchanged: 0 };
  const a = local.files;
  const b = remote.files;
  const links = linksOf(a, b);
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const order = i === a.length ? 1 : j === b.length ? -1 : comparePaths(a[i]!.path, b[j]!.path);
    if (order < 0) {
      files.push(planFile(rules, links, a[i]!.path, stateOf(a[i]!), null));
      counts.added++;
      i++;
    } else if (order > 0) {
      files.push(planFile(rules, links, b[j]!.path, null, stateOf(b[j]!)));
      counts.removed++;
      j++;
    } else {
      const localState = stateOf(a[i]!);
      const remoteState = stateOf(b[j]!);
      // One content with two sizes: a manifest is wrong (hand-edited and digested again), and a
      // plan would have to call the file both unchanged and different.
      if (localState.sha256 === remoteState.sha256 && localState.size !== remoteState.size) {
        throw new ManifestConflictError({ path: a[i]!.path, message: `has digest ${quote(localState.sha256)} in both manifests, but ${localState.size} bytes in the local one and ${remoteState.size} in the remote one; one manifest is wrong, so take both again` });
      }
      if (aspectsThatDiffer(localState, remoteState).length > 0) {
        files.push(planFile(rules, links, a[i]!.path, localState, remoteState));
        counts.changed++;
      } else {
        counts.unchanged++;
      }
      i++;
      j++;
    }
  }
  let risk: PlanRisk = "none";
  const hardManual = new Set<string>();
  for (const file of files) {
    if (risk === "none" || RISK_RANK[file.risk] > RISK_RANK[risk]) risk = file.risk;
    if (file.hard_manual !== null) hardManual.add(file.hard_manual);
  }
  // The plan's own contract (planConsistencyIssues, and the gate): drift exactly when the digests differ.
  if ((files.length > 0) !== (local.digest !== remote.digest)) {
    throw new ManifestConflictError({ path: "manifests", message: `${files.length} file(s) differ, but the digests are ${quote(local.digest)} (local) and ${quote(remote.digest)} (remote); a digest must be that of its manifest's entries, so take both manifests again` });
  }
  const backups: BackupFile[] = files.flatMap((file) => (file.remote === null ? [] : [{ path: file.path, target: file.target, type: file.remote.type, sha256: file.remote.sha256, size: file.remote.size, mode: file.remote.mode }]));
  const content: Omit<DriftPlan, "digest"> = {
    schema: PLAN_SCHEMA_ID,
    finding: "deploy_drift_probe",
    mode: "proposal_only",
    superseded_source: SUPERSEDED_SOURCE,
    summary: summarize(local, remote, counts, risk, [...hardManual].sort()),
    planned_at: formatIsoTime(now),
    drift: files.length > 0,
    risk,
    hard_manual: [...hardManual].sort(),
    counts,
    local: manifestRef(local),
    remote: manifestRef(remote),
    policy: { ...policy },
    executor: rules.executor,
    prechecks: {
      deploy_lock: { lock: rules.lock, must_be: "free", description: "the deploy lock is free; the executor takes it before the first write and releases it after the postchecks" },
      backup: { location: rules.backupLocation, files: backups, description: `back up every file to be overwritten or removed (${backups.length}) and check each against its remote digest below, so the apply can be rolled back` },
      remote_unchanged: { digest: remote.digest, description: "a fresh manifest of the host has this digest; if the host changed since the plan was made, make a new plan" },
    },
    postchecks: [...rules.postchecks],
    receipt_fields: RECEIPT_FIELDS.map((field) => ({ ...field })),
    files,
  };
  const digest = planDigest(content);
  // The digest goes near the top so a reader sees which plan this is before its file list.
  const { schema, finding, mode, superseded_source, ...rest } = content;
  return { schema, finding, mode, superseded_source, digest, ...rest };
}

function planFile(rules: DriftRules, links: ReadonlySet<string>, path: string, local: FileState | null, remote: FileState | null): PlanFile {
  const differs = local !== null && remote !== null ? aspectsThatDiffer(local, remote) : [];
  const classification = judgeFile(rules, { path, local, remote, differs }, links);
  return {
    path,
    change: local === null ? "removed" : remote === null ? "added" : "changed",
    differs,
    target: targetOf(rules, path),
    local,
    remote,
    risk: classification.risk,
    hard_manual: classification.hardManual,
    rule: classification.rule,
    risk_note: classification.note,
  };
}

/**
 * Every path that is a symlink on either side, unchanged ones too: a link resolved through one
 * (`lib → /etc`, shared by both trees) lands wherever it does.
 */
function linksOf(...sides: ReadonlyArray<readonly ManifestEntry[]>): Set<string> {
  const links = new Set<string>();
  for (const entries of sides) for (const entry of entries) if (entry.type === "symlink") links.add(entry.path);
  return links;
}

function stateOf(entry: ManifestEntry): FileState {
  const state: FileState = { type: entry.type, sha256: entry.sha256, size: entry.size, mode: entry.mode };
  if (entry.type === "symlink") state.link = entry.target;
  return state;
}

function manifestRef(manifest: Manifest): DriftPlan["local"] {
  return { host: manifest.host, root: manifest.root, generated_at: manifest.generated_at, digest: manifest.digest, files: manifest.files.length, ignore: [...manifest.ignore] };
}

function summarize(local: Manifest, remote: Manifest, counts: DriftPlan["counts"], risk: PlanRisk, hardManual: readonly string[]): string {
  const between = `${local.host}:${local.root} and ${remote.host}:${remote.root}`;
  const differing = counts.changed + counts.added + counts.removed;
  if (differing === 0) return `no drift: all ${counts.unchanged} file(s) match between ${between}; nothing to deploy`;
  const parts = [`${counts.changed} changed`, `${counts.added} added`, `${counts.removed} removed`].join(", ");
  const manual = hardManual.length > 0 ? `; hard-manual: ${hardManual.join(", ")}` : "";
  return `${differing} file(s) differ between ${between} (${parts}); risk ${risk}${manual}`;
}

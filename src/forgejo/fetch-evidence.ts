import { dirname, posix } from "node:path";
import picomatch from "picomatch";
import type { ArtifactBytes, BundleLimits } from "../evidence/artifact-bytes.js";
import { openBundle } from "../evidence/open-bundle.js";
import type { EvidenceSnapshot } from "../evidence/snapshot.js";
import type { ProposalTarget } from "../queue/proposal-target.js";
import { documentRole, fencedBundles, mayBeDocument } from "./bundle-detection.js";
import { ForgejoError } from "./forgejo-error.js";
import type { IssueJob, Job, PullRequestJob, PushJob } from "./jobs.js";
import type { ForgejoReader } from "./reader.js";
import type { Attachment } from "./webhook-payloads.js";

export interface EvidenceUnit {
  snapshot: EvidenceSnapshot;
  target: ProposalTarget;
}

export interface FetchOptions {
  evidenceGlobs: readonly string[];
  limits: BundleLimits;
  /** A bound on how many bundles one delivery may put in front of the gate. */
  maxBundles: number;
}

/**
 * The Forgejo edge for one job: read (GET only) whatever evidence the delivery points at and
 * return it as snapshots, each with the place its proposal belongs. Forgejo failing is evidence
 * that could not be read: an unread snapshot, judged `blocked`, never a crash.
 */
export async function fetchEvidence(reader: ForgejoReader, job: Job, options: FetchOptions): Promise<EvidenceUnit[]> {
  switch (job.trigger) {
    case "label":
    case "command":
      return fetchIssueEvidence(reader, job, options);
    case "push":
      return fetchPushEvidence(reader, job, options);
    case "pull_request":
      return fetchPullEvidence(reader, job, options);
  }
}

async function fetchIssueEvidence(reader: ForgejoReader, job: IssueJob, options: FetchOptions): Promise<EvidenceUnit[]> {
  const target: ProposalTarget = { repo: job.repo, kind: job.isPull ? "pull" : "issue", number: job.number };
  const where = `${job.repo}#${job.number}`;
  try {
    const issue = await reader.issue(job.repo, job.number);
    const containers: Array<{ label: string; assets: Attachment[] }> = [{ label: `${where}`, assets: issue.assets ?? [] }];
    for (const comment of await reader.issueComments(job.repo, job.number)) {
      // Comment lists carry assets; the created-comment webhook does not, so the command's comment is read directly.
      const assets = comment.assets === undefined || comment.assets === null || comment.id === job.commentId ? await reader.commentAssets(job.repo, comment.id) : comment.assets;
      if (assets.length > 0) containers.push({ label: `${where}, comment ${comment.id}`, assets });
    }
    const snapshots: EvidenceSnapshot[] = [];
    for (const container of containers) snapshots.push(...(await attachmentBundles(reader, container.label, container.assets, options)));
    for (const fenced of fencedBundles(issue.body ?? "", job.isPull ? "pull-body" : "issue-body")) {
      snapshots.push({ origin: `${where}, fenced block in the description`, name: fenced.name, bundle: Buffer.from(fenced.text), artifacts: new Map() });
    }
    if (snapshots.length === 0) {
      return [
        {
          target,
          snapshot: {
            origin: where,
            name: "bundle",
            bundle: null,
            problemCode: "bundle_not_found",
            problem: `no evidence bundle on ${where}: attach a \`*.bundle.json\` (or a safe-update run's \`evidence-bundle.json\` with its artifacts), or put one in a \`\`\`patchwarden-bundle fence in the description, then ask again`,
            artifacts: new Map(),
          },
        },
      ];
    }
    return snapshots.slice(0, options.maxBundles).map((snapshot) => ({ snapshot, target }));
  } catch (error) {
    return [{ target, snapshot: unreadable(where, error) }];
  }
}

/** Bundles among one issue's or comment's attachments; their artifacts are the sibling attachments. */
async function attachmentBundles(reader: ForgejoReader, label: string, assets: Attachment[], options: FetchOptions): Promise<EvidenceSnapshot[]> {
  const byName = new Map(assets.map((asset) => [asset.name, asset]));
  const snapshots: EvidenceSnapshot[] = [];
  for (const asset of assets) {
    if (!mayBeDocument(asset.name)) continue;
    const origin = `${label}, attachment ${asset.name}`;
    let bytes: Uint8Array;
    try {
      bytes = await reader.attachment(asset);
    } catch (error) {
      snapshots.push(unreadable(origin, error, asset.name));
      continue;
    }
    if (documentRole(asset.name, bytes) !== "bundle") continue;
    const artifacts = new Map<string, ArtifactBytes>();
    for (const path of openBundle(asset.name, bytes, options.limits).artifactPaths) {
      const sibling = byName.get(path);
      artifacts.set(path, sibling === undefined ? { ok: false, problem: `no attachment named \`${path}\` beside it` } : await readArtifact(() => reader.attachment(sibling)));
    }
    snapshots.push({ origin, name: asset.name, bundle: bytes, artifacts });
  }
  return snapshots;
}

async function fetchPushEvidence(reader: ForgejoReader, job: PushJob, options: FetchOptions): Promise<EvidenceUnit[]> {
  const commitTarget: ProposalTarget = { repo: job.repo, kind: "commit", sha: job.after };
  let files = job.files;
  if (job.truncated) {
    if (/^0+$/.test(job.before)) {
      return [{ target: commitTarget, snapshot: { origin: `push to ${job.repo} ${job.ref}`, name: "bundle", bundle: null, problem: `the push created \`${job.ref}\` with more commits than its webhook lists, so its evidence files cannot be enumerated; ask for a check with \`/patchwarden check\` on an issue instead`, artifacts: new Map() } }];
    }
    try {
      const isEvidence = picomatch([...options.evidenceGlobs]);
      files = (await reader.compareFiles(job.repo, job.before, job.after)).filter((file) => file.status !== "removed" && isEvidence(file.filename)).map((file) => file.filename);
    } catch (error) {
      return [{ target: commitTarget, snapshot: unreadable(`push to ${job.repo} at ${job.after.slice(0, 12)}`, error) }];
    }
  }
  return repositoryBundles(reader, job.repo, job.after, files, options, (bundleIssue) => (bundleIssue !== undefined ? { repo: job.repo, kind: "issue", number: bundleIssue } : commitTarget));
}

async function fetchPullEvidence(reader: ForgejoReader, job: PullRequestJob, options: FetchOptions): Promise<EvidenceUnit[]> {
  const target: ProposalTarget = { repo: job.repo, kind: "pull", number: job.number };
  let files: string[];
  try {
    const isEvidence = picomatch([...options.evidenceGlobs]);
    files = (await reader.pullFiles(job.repo, job.number)).filter((file) => file.status !== "removed" && isEvidence(file.filename)).map((file) => file.filename);
  } catch (error) {
    return [{ target, snapshot: unreadable(`${job.repo}#${job.number}`, error) }];
  }
  return repositoryBundles(reader, job.repo, job.headSha, files, options, () => target);
}

/**
 * Bundles among files changed at a commit. A changed artifact (a file that is not itself a
 * bundle) brings in the `evidence-bundle.json` beside it, so a bundle is judged again when any
 * part of it changes.
 */
async function repositoryBundles(
  reader: ForgejoReader,
  repo: string,
  ref: string,
  files: readonly string[],
  options: FetchOptions,
  targetFor: (bundleIssue: number | undefined) => ProposalTarget,
): Promise<EvidenceUnit[]> {
  const candidates = new Set<string>();
  const cache = new Map<string, ArtifactBytes>();
  const read = async (path: string): Promise<ArtifactBytes> => {
    let entry = cache.get(path);
    if (entry === undefined) {
      entry = await readArtifact(() => reader.file(repo, path, ref));
      cache.set(path, entry);
    }
    return entry;
  };
  for (const file of files) {
    const bytes = await read(file);
    if (!bytes.ok || documentRole(file, bytes.bytes) !== "other") candidates.add(file);
    else candidates.add(posix.join(dirname(file), "evidence-bundle.json"));
  }
  const units: EvidenceUnit[] = [];
  for (const path of [...candidates].sort().slice(0, options.maxBundles)) {
    const origin = `${repo}@${ref.slice(0, 12)}:${path}`;
    const bytes = await read(path);
    if (!bytes.ok) {
      // A sibling evidence-bundle.json that does not exist just means the changed file belongs to no bundle.
      if (!files.includes(path) && /not found \(404\)/.test(bytes.problem)) continue;
      units.push({ target: targetFor(undefined), snapshot: { origin, name: posix.basename(path), bundle: null, problem: `cannot read ${origin}: ${bytes.problem}`, artifacts: new Map() } });
      continue;
    }
    const opened = openBundle(posix.basename(path), bytes.bytes, options.limits);
    const artifacts = new Map<string, ArtifactBytes>();
    for (const relative of opened.artifactPaths) artifacts.set(relative, await read(posix.join(dirname(path), relative)));
    units.push({ target: targetFor(opened.native?.candidate.issue), snapshot: { origin, name: posix.basename(path), bundle: bytes.bytes, artifacts } });
  }
  return units;
}

async function readArtifact(fetchBytes: () => Promise<Uint8Array>): Promise<ArtifactBytes> {
  try {
    return { ok: true, bytes: await fetchBytes() };
  } catch (error) {
    if (error instanceof ForgejoError) return { ok: false, problem: error.message };
    throw error;
  }
}

function unreadable(origin: string, error: unknown, name = "bundle"): EvidenceSnapshot {
  if (!(error instanceof ForgejoError)) throw error;
  return {
    origin,
    name,
    bundle: null,
    problemCode: error.failure === "too_large" ? "bundle_too_large" : "bundle_unreadable",
    problem: `the evidence could not be read from Forgejo (${origin}): ${error.message}`,
    artifacts: new Map(),
  };
}

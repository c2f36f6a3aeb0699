import { dirname, posix } from "node:path";
import picomatch from "picomatch";
import { quote } from "../diagnostics/diagnostic.js";
import { ArtifactBudget, type ArtifactBytes, type BundleLimits } from "../evidence/artifact-bytes.js";
import { openBundle } from "../evidence/open-bundle.js";
import type { EvidenceSnapshot } from "../evidence/snapshot.js";
import type { ProposalTarget } from "../queue/proposal-target.js";
import { documentRole, fencedBundles, MAX_SCANNED_BODY_BYTES, mayBeDocument } from "./bundle-detection.js";
import { changedPaths, type ChangedPaths } from "./changed-files-once.js";
import { ForgejoError } from "./forgejo-error.js";
import type { IssueJob, Job, PullRequestJob, PushJob } from "./jobs.js";
import { pushOrigin } from "./push-origin.js";
import type { ForgejoReader } from "./reader.js";
import type { Attachment } from "./webhook-payloads.js";

export interface EvidenceUnit {
  snapshot: EvidenceSnapshot;
  target: ProposalTarget;
}

export interface FetchOptions {
  evidenceGlobs: readonly string[];
  limits: BundleLimits;
  /** A bound on how many bundles one delivery may put in front of the gate; those past it get one blocked notice. */
  maxBundles: number;
}

/** Only the newest this many comments are searched for attached bundles; older ones that may hold one get a notice. */
export const MAX_SEARCHED_COMMENTS = 200;

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
    const comments = await reader.issueComments(job.repo, job.number);
    // Each searched comment may cost a request: only the newest are searched, and older ones that
    // may hold a bundle are named in a notice instead of being passed over in silence.
    const skipped = comments.slice(0, -MAX_SEARCHED_COMMENTS).filter((comment) => comment.assets === undefined || comment.assets === null || comment.assets.some((asset) => mayBeDocument(asset.name)));
    for (const comment of comments.slice(-MAX_SEARCHED_COMMENTS)) {
      // Comment lists carry assets; the created-comment webhook does not, so the command's comment is read directly.
      const assets = comment.assets === undefined || comment.assets === null || comment.id === job.commentId ? await reader.commentAssets(job.repo, comment.id) : comment.assets;
      if (assets.length > 0) containers.push({ label: `${where}, comment ${comment.id}`, assets });
    }
    const snapshots: EvidenceSnapshot[] = [];
    for (const container of containers) snapshots.push(...(await attachmentBundles(reader, container.label, container.assets, options)));
    // Notices are not bundles: they never take one of the maxBundles places.
    const notices: EvidenceSnapshot[] = [];
    const fenced = fencedBundles(issue.body ?? "", job.isPull ? "pull-body" : "issue-body");
    if (fenced.ok) {
      for (const bundle of fenced.bundles) snapshots.push({ origin: `${where}, fenced block in the description`, name: bundle.name, bundle: Buffer.from(bundle.text), artifacts: new Map() });
    } else {
      notices.push({
        origin: `${where}, description`,
        name: "description",
        bundle: null,
        problemCode: "bundle_too_large",
        problem: `${where}: the description is too large to scan for fenced bundles (${fenced.bytes} bytes, at most ${MAX_SCANNED_BODY_BYTES}); attach the bundle as a \`*.bundle.json\` file instead, then ask again`,
        artifacts: new Map(),
      });
    }
    if (skipped.length > 0) {
      notices.push({
        origin: `${where}, comments before the newest ${MAX_SEARCHED_COMMENTS}`,
        name: "comments-not-searched",
        bundle: null,
        problem: `${skipped.length} older ${skipped.length === 1 ? "comment" : "comments"} of ${where} (${skipped.slice(0, LISTED_NAMES).map((comment) => comment.id).join(", ")}${skipped.length > LISTED_NAMES ? ", …" : ""}) ${skipped.length === 1 ? "may hold an evidence bundle but was" : "may hold evidence bundles but were"} not searched: only the newest ${MAX_SEARCHED_COMMENTS} comments are; attach the bundle to a new comment or the description, then ask again`,
        artifacts: new Map(),
      });
    }
    if (snapshots.length > options.maxBundles) {
      notices.push(beyondLimit(where, snapshots.slice(options.maxBundles).map((s) => s.name), snapshots.length, options.maxBundles, `spread them over several issues or pull requests, at most ${options.maxBundles} each, and ask on each`));
    }
    if (snapshots.length === 0 && notices.length === 0) {
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
    return [...snapshots.slice(0, options.maxBundles), ...notices].map((snapshot) => ({ snapshot, target }));
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
    const budget = new ArtifactBudget(options.limits);
    for (const path of openBundle(asset.name, bytes, options.limits).artifactPaths) {
      const sibling = byName.get(path);
      artifacts.set(path, sibling === undefined ? { ok: false, problem: `no attachment named \`${path}\` beside it` } : await budget.read(() => readArtifact(() => reader.attachment(sibling))));
    }
    snapshots.push({ origin, name: asset.name, bundle: bytes, artifacts });
  }
  return snapshots;
}

async function fetchPushEvidence(reader: ForgejoReader, job: PushJob, options: FetchOptions): Promise<EvidenceUnit[]> {
  const commitTarget: ProposalTarget = { repo: job.repo, kind: "commit", sha: job.after };
  let files = job.files;
  let deletedToo: ReadonlySet<string> = new Set();
  if (job.truncated) {
    if (/^0+$/.test(job.before)) {
      return [{ target: commitTarget, snapshot: { origin: `push to ${job.repo} ${job.ref}`, name: "bundle", bundle: null, problem: `the push created \`${job.ref}\` with more commits than its webhook lists, so its evidence files cannot be enumerated; ask for a check with \`/patchwarden check\` on an issue instead`, artifacts: new Map() } }];
    }
    try {
      ({ paths: files, deletedToo } = changedPaths(await reader.compareFiles(job.repo, job.before, job.after), picomatch([...options.evidenceGlobs])));
    } catch (error) {
      return [{ target: commitTarget, snapshot: unreadable(`push to ${job.repo} at ${job.after.slice(0, 12)}`, error) }];
    }
  }
  const changes = `push to ${job.repo} ${job.ref}`;
  return repositoryBundles(reader, { repo: job.repo, ref: job.after, files, deletedToo, changes }, options, (bundleIssue) => (bundleIssue !== undefined ? { repo: job.repo, kind: "issue", number: bundleIssue } : commitTarget));
}

async function fetchPullEvidence(reader: ForgejoReader, job: PullRequestJob, options: FetchOptions): Promise<EvidenceUnit[]> {
  const target: ProposalTarget = { repo: job.repo, kind: "pull", number: job.number };
  let changed: ChangedPaths;
  try {
    changed = changedPaths(await reader.pullFiles(job.repo, job.number), picomatch([...options.evidenceGlobs]));
  } catch (error) {
    return [{ target, snapshot: unreadable(`${job.repo}#${job.number}`, error) }];
  }
  return repositoryBundles(reader, { repo: job.repo, ref: job.headSha, files: changed.paths, deletedToo: changed.deletedToo, changes: `${job.repo}#${job.number}` }, options, () => target);
}

/** Files a push or pull request changed, to be read at `ref`. */
interface ChangedAt {
  repo: string;
  ref: string;
  files: readonly string[];
  /** Changed files the range also deleted: missing at `ref`, they are gone, not unreadable. */
  deletedToo: ReadonlySet<string>;
  /** The change, for people: `owner/repo#4`, `push to owner/repo refs/heads/main`. */
  changes: string;
}

/**
 * Bundles among files changed at a commit. A changed artifact (a file that is not itself a
 * bundle) brings in the `evidence-bundle.json` beside it, so a bundle is judged again when any
 * part of it changes.
 */
async function repositoryBundles(reader: ForgejoReader, at: ChangedAt, options: FetchOptions, targetFor: (bundleIssue: number | undefined) => ProposalTarget): Promise<EvidenceUnit[]> {
  const { repo, ref } = at;
  const changed = new Set(at.files);
  const missing = new Set<string>();
  const cache = new Map<string, ArtifactBytes>();
  const read = async (path: string): Promise<ArtifactBytes> => {
    let entry = cache.get(path);
    if (entry === undefined) {
      entry = await readArtifact(() => reader.file(repo, path, ref), () => missing.add(path));
      cache.set(path, entry);
    }
    return entry;
  };
  const candidates = new Set<string>();
  for (const file of at.files) {
    const bytes = await read(file);
    if (missing.has(file) && at.deletedToo.has(file)) continue;
    if (!bytes.ok || documentRole(file, bytes.bytes) !== "other") candidates.add(file);
    else candidates.add(posix.join(dirname(file), "evidence-bundle.json"));
  }
  // Known before the limit is applied, so that its places go to bundles that exist.
  const bundles: string[] = [];
  for (const path of [...candidates].sort()) {
    if (!changed.has(path)) {
      // A sibling evidence-bundle.json that does not exist just means the changed file belongs to no bundle.
      await read(path);
      if (missing.has(path)) continue;
    }
    bundles.push(path);
  }
  const units: EvidenceUnit[] = [];
  for (const path of bundles.slice(0, options.maxBundles)) {
    const origin = pushOrigin(repo, ref, path);
    const bytes = await read(path);
    if (!bytes.ok) {
      units.push({ target: targetFor(undefined), snapshot: { origin, name: posix.basename(path), bundle: null, problem: `cannot read ${quote(origin, MAX_ORIGIN_ECHO)}: ${bytes.problem}`, artifacts: new Map() } });
      continue;
    }
    const opened = openBundle(posix.basename(path), bytes.bytes, options.limits);
    const artifacts = new Map<string, ArtifactBytes>();
    const budget = new ArtifactBudget(options.limits);
    for (const relative of opened.artifactPaths) artifacts.set(relative, await budget.read(() => read(posix.join(dirname(path), relative))));
    units.push({ target: targetFor(opened.native?.candidate.issue), snapshot: { origin, name: posix.basename(path), bundle: bytes.bytes, artifacts } });
  }
  if (bundles.length > options.maxBundles) {
    const advice = `split the change so that each holds at most ${options.maxBundles}`;
    units.push({ target: targetFor(undefined), snapshot: beyondLimit(`${repo}@${ref.slice(0, 12)}`, bundles.slice(options.maxBundles), bundles.length, options.maxBundles, advice, at.changes) });
  }
  return units;
}

/**
 * Paths and attachment names are the pusher's or the commenter's words (git allows a line break
 * or a backtick in a path): they reach the comment only quoted, at up to this length.
 */
const MAX_ORIGIN_ECHO = 300;

/** Names listed in a notice of bundles not judged; the rest are counted. */
const LISTED_NAMES = 10;

/**
 * The bundles past the per-delivery limit, as one blocked notice: never judged, never silent.
 * Worded like the policy what-if's own limit.
 */
function beyondLimit(where: string, names: readonly string[], total: number, max: number, advice: string, holder = where): EvidenceSnapshot {
  const listed = names.slice(0, LISTED_NAMES).map((name) => quote(name, MAX_ORIGIN_ECHO)).join(", ");
  const more = names.length > LISTED_NAMES ? ` and ${names.length - LISTED_NAMES} more` : "";
  return {
    origin: `${where}, bundles past the first ${max}`,
    name: "bundles-not-judged",
    bundle: null,
    problem: `${listed}${more}: not judged; ${holder} holds ${total} evidence bundles and at most ${max} are judged per delivery; ${advice}`,
    artifacts: new Map(),
  };
}

async function readArtifact(fetchBytes: () => Promise<Uint8Array>, onNotFound?: () => void): Promise<ArtifactBytes> {
  try {
    return { ok: true, bytes: await fetchBytes() };
  } catch (error) {
    if (error instanceof ForgejoError) {
      if (error.status === 404) onNotFound?.();
      return { ok: false, problem: error.message };
    }
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
    problem: `the evidence could not be read from Forgejo (${quote(origin, MAX_ORIGIN_ECHO)}): ${error.message}`,
    artifacts: new Map(),
  };
}

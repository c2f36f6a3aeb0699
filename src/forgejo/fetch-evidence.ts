import { dirname, posix } from "node:path";
import picomatch from "picomatch";
import { quote } from "../diagnostics/diagnostic.js";
import { ArtifactBudget, type ArtifactBytes, type BundleLimits } from "../evidence/artifact-bytes.js";
import { openBundle } from "../evidence/open-bundle.js";
import type { EvidenceSnapshot } from "../evidence/snapshot.js";
import type { ProposalTarget } from "../queue/proposal-target.js";
import { documentProblem, documentRole, fencedBundles, isBundleName, MAX_SCANNED_BODY_BYTES, mayBeDocument, type DocumentRole } from "./bundle-detection.js";
import { changedPaths, type ChangedPaths } from "./changed-files-once.js";
import { isCommitId, isZeroCommit } from "./commit-id.js";
import { ForgejoError, type ForgejoFailure } from "./forgejo-error.js";
import type { IssueJob, Job, PullRequestJob, PushJob } from "./jobs.js";
import { MAX_NESTED_CONTAINERS } from "../markdown/fence-blocks.js";
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
  let attached: IssueFindings;
  try {
    attached = await issueBundles(reader, job, where, options);
  } catch (error) {
    return [{ target, snapshot: unreadable(where, error) }];
  }
  const committed = job.isPull ? await pullRequestBundles(reader, job, where, options) : { found: null, notices: [] };
  const changed = committed.found?.entries ?? [];
  const total = attached.snapshots.length + attached.past.length + changed.length;
  // Notices are not bundles: they never take one of the maxBundles places.
  const notices = [...attached.notices, ...committed.notices];
  if (total === 0 && notices.length === 0) return [{ target, snapshot: notFound(where, job.isPull) }];
  const judged = [...attached.snapshots];
  const places = options.maxBundles - judged.length;
  if (committed.found !== null) for (const { snapshot } of await judgeInChange(committed.found, changed.slice(0, places), options)) judged.push(snapshot);
  if (total > options.maxBundles) {
    const past = [...attached.past, ...changed.slice(places).map((entry) => entry.path)];
    notices.push(beyondLimit(where, past, total, options.maxBundles, `spread them over several issues or pull requests, at most ${options.maxBundles} each, and ask on each`));
  }
  return [...judged, ...notices].map((snapshot) => ({ snapshot, target }));
}

/**
 * What an issue or pull request holds in itself: the bundles it holds up to the limit, read with
 * their artifacts; the names of those past it (never their bytes); and notices of what was not searched.
 */
interface IssueFindings {
  /** At most maxBundles, in order: these take the places, and are judged. */
  snapshots: EvidenceSnapshot[];
  /** The bundles after them, by name only: only counted and named in the bundles-not-judged notice. */
  past: string[];
  notices: EvidenceSnapshot[];
}

/** Bundles attached to an issue, its comments, or fenced in its description. Forgejo failing throws. */
async function issueBundles(reader: ForgejoReader, job: IssueJob, where: string, options: FetchOptions): Promise<IssueFindings> {
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
  // Attached bundles take the places first, in order; only those that get one are kept and have
  // their artifacts read, so a commenter cannot make one delivery hold 200 bundles' artifacts.
  const found: FoundAttached = { snapshots: [], past: [], max: options.maxBundles };
  for (const container of containers) await attachmentBundles(reader, container.label, container.assets, options, found);
  const notices: EvidenceSnapshot[] = [];
  const fenced = fencedBundles(issue.body ?? "", job.isPull ? "pull-body" : "issue-body");
  if (fenced.ok) {
    for (const bundle of fenced.bundles) {
      if (found.snapshots.length < found.max) found.snapshots.push({ origin: `${where}, fenced block in the description`, name: bundle.name, bundle: Buffer.from(bundle.text), artifacts: new Map() });
      else found.past.push(bundle.name);
    }
    if (fenced.lostAtLine !== null) notices.push(descriptionNotFollowed(where, fenced.lostAtLine));
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
  return { snapshots: found.snapshots, past: found.past, notices };
}

/** A bundle after the line where the scan lost the Markdown's structure cannot be placed: said, not passed over. */
function descriptionNotFollowed(where: string, line: number): EvidenceSnapshot {
  return {
    origin: `${where}, description from line ${line}`,
    name: "description",
    bundle: null,
    problemCode: "bundle_unreadable",
    problem: `${where}: the description's Markdown cannot be followed from line ${line} (lists and quotes nested more than ${MAX_NESTED_CONTAINERS} deep, or a \`===\` or \`---\` line under what may be link definitions), so a fenced bundle after it cannot be told from text Forgejo does not show as one; put the bundle above that line or attach it as a \`*.bundle.json\` file, then ask again`,
    artifacts: new Map(),
  };
}

function notFound(where: string, isPull: boolean): EvidenceSnapshot {
  const committed = isPull ? ", or commit one to the pull request where the evidence globs match it" : "";
  return {
    origin: where,
    name: "bundle",
    bundle: null,
    problemCode: "bundle_not_found",
    problem: `no evidence bundle on ${where}: attach a \`*.bundle.json\` (or a safe-update run's \`evidence-bundle.json\` with its artifacts), or put one in a \`\`\`patchwarden-bundle fence in the description${committed}, then ask again`,
    artifacts: new Map(),
  };
}

/** A pull request's committed evidence, found at its head; or, when it cannot be, notices saying why. */
interface CommittedFindings {
  found: FoundInChange | null;
  notices: EvidenceSnapshot[];
}

/**
 * The evidence committed in a pull request that a gate label or `/patchwarden check` asks about:
 * its changed files that match the evidence globs, read at its head, as the pull request trigger
 * reads them. Attachments are judged whatever happens here; a listing or head that cannot be had
 * is a notice, never `bundle_not_found`.
 */
async function pullRequestBundles(reader: ForgejoReader, job: IssueJob, where: string, options: FetchOptions): Promise<CommittedFindings> {
  let changed: ChangedPaths;
  try {
    changed = changedPaths(await reader.pullFiles(job.repo, job.number), picomatch([...options.evidenceGlobs]));
  } catch (error) {
    return { found: null, notices: [unreadable(`${where}, changed files`, error)] };
  }
  if (changed.paths.length === 0) return { found: null, notices: [] };
  const head = await pullHead(reader, job, where, changed.paths);
  if (typeof head !== "string") return { found: null, notices: [head] };
  return { found: await findInChange(reader, { repo: job.repo, ref: head, files: changed.paths, deletedToo: changed.deletedToo, changes: where }), notices: [] };
}

/**
 * The commit a pull request's changed files are read at: the one its delivery named, else the one
 * Forgejo names now (a job recorded without it, or a delivery that named none). Never an empty
 * ref: Forgejo would serve the default branch's files for it. A notice when there is none.
 */
async function pullHead(reader: ForgejoReader, job: IssueJob, where: string, paths: readonly string[]): Promise<string | EvidenceSnapshot> {
  if (job.headSha !== undefined) return job.headSha;
  let sha: string | null;
  try {
    sha = await reader.pullHead(job.repo, job.number);
  } catch (error) {
    return unreadable(`${where}, head commit`, error);
  }
  if (isCommitId(sha)) return sha;
  const listed = paths.slice(0, LISTED_NAMES).map((path) => quote(path, MAX_ORIGIN_ECHO)).join(", ");
  return {
    origin: `${where}, changed files`,
    name: "changed-files",
    bundle: null,
    problem: `${where}: Forgejo names no head commit for the pull request (its head branch may be gone), so its changed evidence files (${listed}${paths.length > LISTED_NAMES ? ", …" : ""}) cannot be read; push to the pull request's branch again, then ask again`,
    artifacts: new Map(),
  };
}

/** Attached bundles found so far: those given a place (at most `max`), then the names of the rest. */
interface FoundAttached {
  snapshots: EvidenceSnapshot[];
  past: string[];
  max: number;
}

/**
 * Bundles among one issue's or comment's attachments, added to `found`; their artifacts are the
 * sibling attachments, read only for a bundle that gets a place. Past the limit a bundle is kept by
 * name only: one named like a bundle is one whatever it holds, so it is not even downloaded; any
 * other document is read to tell whether its schema makes it one, and its bytes dropped at once.
 */
async function attachmentBundles(reader: ForgejoReader, label: string, assets: Attachment[], options: FetchOptions, found: FoundAttached): Promise<void> {
  const byName = new Map(assets.map((asset) => [asset.name, asset]));
  for (const asset of assets) {
    if (!mayBeDocument(asset.name)) continue;
    const judged = found.snapshots.length < found.max;
    if (!judged && isBundleName(asset.name)) {
      found.past.push(asset.name);
      continue;
    }
    const origin = `${label}, attachment ${asset.name}`;
    let bytes: Uint8Array;
    try {
      bytes = await reader.attachment(asset);
    } catch (error) {
      const snapshot = unreadable(origin, error, asset.name);
      if (judged) found.snapshots.push(snapshot);
      else found.past.push(snapshot.name);
      continue;
    }
    if (documentRole(asset.name, bytes) !== "bundle") continue;
    if (!judged) {
      found.past.push(asset.name);
      continue;
    }
    const artifacts = new Map<string, ArtifactBytes>();
    const budget = new ArtifactBudget(options.limits);
    for (const path of openBundle(asset.name, bytes, options.limits).artifactPaths) {
      const sibling = byName.get(path);
      artifacts.set(path, sibling === undefined ? { ok: false, problem: `no attachment named \`${path}\` beside it` } : await budget.read(() => readArtifact(() => reader.attachment(sibling))));
    }
    found.snapshots.push({ origin, name: asset.name, bundle: bytes, artifacts });
  }
}

async function fetchPushEvidence(reader: ForgejoReader, job: PushJob, options: FetchOptions): Promise<EvidenceUnit[]> {
  const commitTarget: ProposalTarget = { repo: job.repo, kind: "commit", sha: job.after };
  let files = job.files;
  let deletedToo: ReadonlySet<string> = new Set();
  if (job.truncated) {
    if (isZeroCommit(job.before)) {
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

async function repositoryBundles(reader: ForgejoReader, at: ChangedAt, options: FetchOptions, targetFor: (bundleIssue: number | undefined) => ProposalTarget): Promise<EvidenceUnit[]> {
  const found = await findInChange(reader, at);
  const judged = await judgeInChange(found, found.entries.slice(0, options.maxBundles), options);
  const units = judged.map(({ snapshot, bundleIssue }) => ({ snapshot, target: targetFor(bundleIssue) }));
  if (found.entries.length > options.maxBundles) {
    const advice = `split the change so that each holds at most ${options.maxBundles}`;
    const past = found.entries.slice(options.maxBundles).map((entry) => entry.path);
    units.push({ target: targetFor(undefined), snapshot: beyondLimit(`${at.repo}@${at.ref.slice(0, 12)}`, past, found.entries.length, options.maxBundles, advice, at.changes) });
  }
  return units;
}

/** What a change holds at its head, found before any limit applies, so that its places go to bundles that exist. */
interface FoundInChange {
  at: ChangedAt;
  /**
   * In path order: each bundle to judge, and each `stray`: a changed file that cannot be read or
   * parsed, is not a bundle, and has no `evidence-bundle.json` beside it to take it in.
   */
  entries: Array<{ path: string; kind: "bundle" | "stray" }>;
  read: (path: string) => Promise<ForgejoBytes>;
}

const RUN_BUNDLE = "evidence-bundle.json";

/**
 * Bundles among files changed at a commit. A changed artifact (any file that is not itself a
 * bundle, readable or not) brings in the `evidence-bundle.json` beside it, so a bundle is judged
 * again when any part of it changes, and a broken artifact blocks its bundle. Only a file named
 * like a bundle stands as one when it cannot be read.
 */
async function findInChange(reader: ForgejoReader, at: ChangedAt): Promise<FoundInChange> {
  const files = filesAt(reader, at.repo, at.ref);
  const found = new Map<string, "bundle" | "stray">();
  for (const file of at.files) {
    const bytes = await files.read(file);
    if (files.missing(file) && at.deletedToo.has(file)) continue;
    const role = roleOf(file, bytes);
    if (role === "bundle") {
      found.set(file, "bundle");
      continue;
    }
    // A sibling evidence-bundle.json that does not exist just means the changed file belongs to no bundle.
    const bundle = posix.join(dirname(file), RUN_BUNDLE);
    if (await files.exists(bundle)) found.set(bundle, "bundle");
    // Broken, and no bundle takes it in: judged alone, so it is reported rather than passed over.
    else if (role === "unreadable") found.set(file, "stray");
  }
  const entries = [...found].map(([path, kind]) => ({ path, kind })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { at, entries, read: files.read };
}

/** A changed file's role; one that cannot be read is a bundle only by its name. */
function roleOf(path: string, bytes: ForgejoBytes): DocumentRole {
  if (bytes.ok) return documentRole(path, bytes.bytes);
  return isBundleName(path) ? "bundle" : "unreadable";
}

/** Files at one commit, each read once: a bundle's artifacts are often among the changed files. */
function filesAt(reader: ForgejoReader, repo: string, ref: string) {
  const cache = new Map<string, ForgejoBytes>();
  const missing = new Set<string>();
  const read = async (path: string): Promise<ForgejoBytes> => {
    let entry = cache.get(path);
    if (entry === undefined) {
      entry = await readArtifact(() => reader.file(repo, path, ref), () => missing.add(path));
      cache.set(path, entry);
    }
    return entry;
  };
  return {
    read,
    missing: (path: string) => missing.has(path),
    exists: async (path: string) => (await read(path), !missing.has(path)),
  };
}

/** Snapshots of found entries, each with the issue a native bundle names (where a push proposes). */
async function judgeInChange(found: FoundInChange, entries: FoundInChange["entries"], options: FetchOptions): Promise<Array<{ snapshot: EvidenceSnapshot; bundleIssue: number | undefined }>> {
  const judged: Array<{ snapshot: EvidenceSnapshot; bundleIssue: number | undefined }> = [];
  for (const entry of entries) {
    if (entry.kind === "bundle") judged.push(await changedBundle(found, entry.path, options));
    else judged.push({ snapshot: strayFile(found.at, entry.path, await found.read(entry.path)), bundleIssue: undefined });
  }
  return judged;
}

async function changedBundle(found: FoundInChange, path: string, options: FetchOptions): Promise<{ snapshot: EvidenceSnapshot; bundleIssue: number | undefined }> {
  const origin = pushOrigin(found.at.repo, found.at.ref, path);
  const name = posix.basename(path);
  const bytes = await found.read(path);
  if (!bytes.ok) {
    return { snapshot: { origin, name, bundle: null, problemCode: problemCodeOf(bytes.failure), problem: `cannot read ${quote(origin, MAX_ORIGIN_ECHO)}: ${bytes.problem}`, artifacts: new Map() }, bundleIssue: undefined };
  }
  const opened = openBundle(name, bytes.bytes, options.limits);
  const artifacts = new Map<string, ArtifactBytes>();
  const budget = new ArtifactBudget(options.limits);
  for (const relative of opened.artifactPaths) artifacts.set(relative, await budget.read(() => found.read(posix.join(dirname(path), relative))));
  return { snapshot: { origin, name, bundle: bytes.bytes, artifacts }, bundleIssue: opened.native?.candidate.issue };
}

/**
 * A changed file no bundle takes in that cannot be read or parsed: blocked on its own, and said to
 * be what it is (a file that is not a bundle), not a malformed bundle.
 */
function strayFile(at: ChangedAt, path: string, bytes: ForgejoBytes): EvidenceSnapshot {
  const origin = pushOrigin(at.repo, at.ref, path);
  const name = posix.basename(path);
  const parse = bytes.ok ? documentProblem(name, bytes.bytes) : null;
  const problemCode = bytes.ok ? (parse?.problem === "too_large" ? "bundle_too_large" : "bundle_unreadable") : problemCodeOf(bytes.failure);
  const why = bytes.ok ? `cannot be parsed (${parse?.message ?? "not JSON or YAML"})` : `cannot be read (${bytes.problem})`;
  return {
    origin,
    name,
    bundle: null,
    problemCode,
    problem: `${quote(origin, MAX_ORIGIN_ECHO)}: a changed evidence file that ${why}; it is not a bundle, and there is no \`${RUN_BUNDLE}\` beside it to judge it as an artifact of: fix the file, or commit it beside the bundle that names it`,
    artifacts: new Map(),
  };
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

/** ArtifactBytes as read from Forgejo: a failure keeps its kind, so that one over the limit is `bundle_too_large`. */
type ForgejoBytes = { ok: true; bytes: Uint8Array } | { ok: false; problem: string; failure: ForgejoFailure };

async function readArtifact(fetchBytes: () => Promise<Uint8Array>, onNotFound?: () => void): Promise<ForgejoBytes> {
  try {
    return { ok: true, bytes: await fetchBytes() };
  } catch (error) {
    if (error instanceof ForgejoError) {
      if (error.status === 404) onNotFound?.();
      return { ok: false, problem: error.message, failure: error.failure };
    }
    throw error;
  }
}

function problemCodeOf(failure: ForgejoFailure): "bundle_too_large" | "bundle_unreadable" {
  return failure === "too_large" ? "bundle_too_large" : "bundle_unreadable";
}

function unreadable(origin: string, error: unknown, name = "bundle"): EvidenceSnapshot {
  if (!(error instanceof ForgejoError)) throw error;
  return {
    origin,
    name,
    bundle: null,
    problemCode: problemCodeOf(error.failure),
    problem: `the evidence could not be read from Forgejo (${quote(origin, MAX_ORIGIN_ECHO)}): ${error.message}`,
    artifacts: new Map(),
  };
}

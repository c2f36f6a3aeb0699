import picomatch from "picomatch";
import type { ProposalTarget } from "../queue/proposal-target.js";
import type { PolicyChange } from "../replay/what-if.js";
import type { ChangedFile } from "./api-schemas.js";
import { changedPaths, type ChangedPaths } from "./changed-files-once.js";
import { isZeroCommit } from "./commit-id.js";
import { ForgejoError } from "./forgejo-error.js";
import type { Job } from "./jobs.js";
import type { ForgejoReader } from "./reader.js";

export interface PolicyChangeUnit {
  change: PolicyChange;
  target: ProposalTarget;
}

/** At most this many what-ifs per delivery: each replays every past verdict. */
const MAX_POLICY_FILES = 5;

/**
 * The policy files a push or pull request changed, read at its head (GET only). A push's what-if
 * belongs on the pushed commit (a status), a pull request's on the pull request (a comment). A file
 * that cannot be replayed (Forgejo cannot give it or cannot list the changed files, it is beyond
 * the per-delivery limit, or a push that created a branch hides it) is a change whose `unreadable` says why, so the what-if fails
 * closed and says so, never a silent success.
 */
export async function fetchPolicyChanges(reader: ForgejoReader, job: Job, policyGlobs: readonly string[]): Promise<PolicyChangeUnit[]> {
  if (policyGlobs.length === 0 || (job.trigger !== "push" && job.trigger !== "pull_request")) return [];
  const isPolicy = picomatch([...policyGlobs]);
  let ref: string;
  let target: ProposalTarget;
  let changed: ChangedPaths = { paths: [], deletedToo: new Set() };
  const units: PolicyChangeUnit[] = [];
  const notReplayed = (path: string, why: string) => units.push({ target, change: { path, ref, bytes: new Uint8Array(), unreadable: why } });
  // The evidence side may have met the same failure first (one listing per job): each side says so on its own target.
  const listed = async (what: string, list: () => Promise<ChangedFile[]>): Promise<ChangedPaths | null> => {
    try {
      return changedPaths(await list(), isPolicy);
    } catch (error) {
      if (!(error instanceof ForgejoError)) throw error;
      const globs = policyGlobs.join(", ");
      notReplayed(globs, `\`${globs}\`: the files ${what} changed could not be listed (${error.message}), so which policy files changed is not known; push again, or check that PATCHWARDEN_FORGEJO_TOKEN may read the repository`);
      return null;
    }
  };
  if (job.trigger === "push") {
    ref = job.after;
    target = { repo: job.repo, kind: "commit", sha: job.after };
    changed = { paths: job.policyFiles ?? [], deletedToo: new Set() };
    if (job.truncated && isZeroCommit(job.before)) {
      notReplayed(job.ref, `\`${job.ref}\` was created with more commits than its webhook lists, so the policy files it changed cannot all be known; open a pull request for the policy change to have it replayed`);
    } else if (job.truncated) {
      const compared = await listed(`the push to \`${job.ref}\``, () => reader.compareFiles(job.repo, job.before, job.after));
      if (compared === null) return units;
      changed = compared;
    }
  } else {
    ref = job.headSha;
    target = { repo: job.repo, kind: "pull", number: job.number };
    const pulled = await listed(`${job.repo}#${job.number}`, () => reader.pullFiles(job.repo, job.number));
    if (pulled === null) return units;
    changed = pulled;
  }
  const sorted = [...new Set(changed.paths)].sort();
  for (const path of sorted.slice(0, MAX_POLICY_FILES)) {
    try {
      units.push({ target, change: { path, ref, bytes: await reader.file(job.repo, path, ref) } });
    } catch (error) {
      if (!(error instanceof ForgejoError)) throw error;
      // Added and deleted again within the range: there is no policy at the head to replay.
      if (error.status === 404 && changed.deletedToo.has(path)) continue;
      notReplayed(path, `\`${path}\` at \`${ref.slice(0, 12)}\`: Forgejo could not give it (${error.message}); push again, or check the server's read token`);
    }
  }
  for (const path of sorted.slice(MAX_POLICY_FILES)) {
    notReplayed(path, `\`${path}\`: this change holds ${sorted.length} policy files and at most ${MAX_POLICY_FILES} are replayed per delivery; change fewer policy files at once`);
  }
  return units;
}

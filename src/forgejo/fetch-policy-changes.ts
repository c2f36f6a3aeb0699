import picomatch from "picomatch";
import type { ProposalTarget } from "../queue/proposal-target.js";
import type { PolicyChange } from "../replay/what-if.js";
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
 * Forgejo cannot give is a change whose `unreadable` says why, so the what-if says so too.
 */
export async function fetchPolicyChanges(reader: ForgejoReader, job: Job, policyGlobs: readonly string[]): Promise<PolicyChangeUnit[]> {
  if (policyGlobs.length === 0 || (job.trigger !== "push" && job.trigger !== "pull_request")) return [];
  const isPolicy = picomatch([...policyGlobs]);
  let ref: string;
  let target: ProposalTarget;
  let files: string[];
  if (job.trigger === "push") {
    ref = job.after;
    target = { repo: job.repo, kind: "commit", sha: job.after };
    files = job.policyFiles ?? [];
    if (job.truncated && !/^0+$/.test(job.before)) {
      files = (await reader.compareFiles(job.repo, job.before, job.after)).filter((file) => file.status !== "removed" && isPolicy(file.filename)).map((file) => file.filename);
    }
  } else {
    ref = job.headSha;
    target = { repo: job.repo, kind: "pull", number: job.number };
    files = (await reader.pullFiles(job.repo, job.number)).filter((file) => file.status !== "removed" && isPolicy(file.filename)).map((file) => file.filename);
  }
  const units: PolicyChangeUnit[] = [];
  for (const path of [...new Set(files)].sort().slice(0, MAX_POLICY_FILES)) {
    try {
      units.push({ target, change: { path, ref, bytes: await reader.file(job.repo, path, ref) } });
    } catch (error) {
      if (!(error instanceof ForgejoError)) throw error;
      units.push({ target, change: { path, ref, bytes: new Uint8Array(), unreadable: `cannot read ${path} at ${ref.slice(0, 12)} from Forgejo: ${error.message}` } });
    }
  }
  return units;
}

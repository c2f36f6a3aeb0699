/** What a delivery asks the gate to do, as plain data that survives a restart in the inbox log. */
export type Job = IssueJob | PushJob | PullRequestJob;

/** A gate label or a `/patchwarden check` command on an issue or pull request. */
export interface IssueJob {
  trigger: "label" | "command";
  repo: string;
  number: number;
  isPull: boolean;
  sender: string;
  /** The comment that held the command, whose assets the webhook leaves out. */
  commentId?: number;
  /**
   * On a pull request, its head commit as the delivery named it: its changed evidence files are read
   * there. Absent when the delivery named none (or the job was recorded by an older version): then
   * it is asked of Forgejo.
   */
  headSha?: string;
}

/** Evidence files added or modified by a push. */
export interface PushJob {
  trigger: "push";
  repo: string;
  ref: string;
  before: string;
  after: string;
  sender: string;
  files: string[];
  /** Policy files added or modified (what-if proposals); absent in jobs recorded by older versions. */
  policyFiles?: string[];
  /**
   * The push's webhook did not list all it changed (fewer commits than it held, or neither the
   * pushed commit nor its head_commit): the files come from the compare API, or, for a push that
   * created the branch, cannot be enumerated and the push is blocked saying so.
   */
  truncated: boolean;
}

/** A pull request opened or synchronized; its changed evidence files are listed through the API. */
export interface PullRequestJob {
  trigger: "pull_request";
  repo: string;
  number: number;
  headSha: string;
  sender: string;
}

export function describeJob(job: Job): string {
  switch (job.trigger) {
    case "label":
    case "command":
      return `${job.trigger} on ${job.repo}#${job.number}`;
    case "push":
      return `push to ${job.repo} ${job.ref} at ${job.after.slice(0, 12)}`;
    case "pull_request":
      return `pull request ${job.repo}#${job.number} at ${job.headSha.slice(0, 12)}`;
  }
}

import * as z from "zod";
import { quote } from "../diagnostics/diagnostic.js";
import { isCommitId } from "./commit-id.js";

// Only the fields the gate reads. Forgejo sends many more, and may add others: z.object strips them
// (a looseObject would copy the whole payload, about 30× the cost per delivery).
const user = z.object({ login: z.string() });
const label = z.object({ name: z.string() });
export const attachmentSchema = z.object({
  id: z.number().int().optional(),
  name: z.string(),
  size: z.number().int().optional(),
  /** What the reader downloads by (`attachments/{uuid}` on the configured Forgejo). */
  uuid: z.string().nullish(),
  /** Where Forgejo's public address serves it; not followed (see ForgejoReader.attachment). */
  browser_download_url: z.string(),
  /** `attachment`, or `external` for a link to a file elsewhere. */
  type: z.string().nullish(),
});
const repository = z.object({ full_name: z.string() });

const issue = z.object({
  number: z.number().int().positive(),
  body: z.string().nullish(),
  labels: z.array(label).nullish(),
  assets: z.array(attachmentSchema).nullish(),
  pull_request: z.unknown().nullish(),
});

export const issuesPayload = z.object({
  action: z.string(),
  issue,
  repository,
  sender: user,
});

/**
 * A commit the gate reads files at. Anything else ignores the delivery, the field named first
 * (classify-delivery's parse): `pull_request.head.sha` is empty, not a commit id (…): advice.
 */
function commitId(advice: string) {
  return z.string().refine(isCommitId, { error: (issue) => `is ${issue.input === "" ? "empty" : quote(issue.input, 80)}, not a commit id (40 or 64 hex digits): ${advice}` });
}

/** A pull request's head as deliveries give it; a pull request job also needs pullRequestHead. */
const pullHead = z.object({ sha: z.string().nullish() }).nullish();

export const pullRequestPayload = z.object({
  action: z.string(),
  number: z.number().int().positive(),
  pull_request: z.object({ labels: z.array(label).nullish(), body: z.string().nullish(), head: pullHead }),
  repository,
  sender: user,
});

/**
 * What a pull request job reads its files at, checked once the delivery is known to ask for one.
 * Forgejo's ToAPIPullRequest leaves it "" when it cannot resolve the head (a reopened pull request
 * whose fork branch is gone), and files read at `ref=` would be the default branch's.
 */
export const pullRequestHead = z.object({
  pull_request: z.object({
    head: z.object({ sha: commitId("Forgejo could not name the pull request's head commit (its head branch may be gone); push to the pull request's branch again") }),
  }),
});

export const commentPayload = z.object({
  action: z.string(),
  issue,
  comment: z.object({ id: z.number().int(), body: z.string().nullish(), user: user.nullish() }),
  /** On a pull request's comment, Forgejo sends the pull request too (IssueCommentPayload.PullRequest). */
  pull_request: z.object({ head: pullHead }).nullish(),
  repository,
  sender: user,
});

const pushCommit = z.object({ id: z.string(), added: z.array(z.string()).nullish(), modified: z.array(z.string()).nullish(), removed: z.array(z.string()).nullish() });

export const pushPayload = z.object({
  ref: z.string(),
  before: commitId("Forgejo names the commit the branch was at here (all zeros for a new branch); push again"),
  after: commitId("Forgejo names the pushed commit here, and the files are read at it; push again"),
  commits: z.array(pushCommit).nullish(),
  /** The pushed commit itself: the only place a branch creation's changes are (its `commits` is empty). */
  head_commit: pushCommit.nullish(),
  total_commits: z.number().int().nullish(),
  repository,
  sender: user,
});

export type PushCommit = z.output<typeof pushCommit>;
export type Attachment = z.output<typeof attachmentSchema>;

import * as z from "zod";
import { COMMIT_ID } from "../forgejo/commit-id.js";
import type { Job } from "../forgejo/jobs.js";

const text = z.string().min(1);
const number = z.number().int().positive();
// Files are read at it: an empty or partial id would read the default branch's instead.
const commitId = z.string().regex(COMMIT_ID, "not a commit id (40 or 64 hex digits)");

const issueJob = z.object({
  trigger: z.enum(["label", "command"]),
  repo: text,
  number,
  isPull: z.boolean(),
  sender: text,
  commentId: z.number().int().exactOptional(),
  // Absent in jobs of older versions: the head is then asked of Forgejo.
  headSha: commitId.exactOptional(),
});
const pushJob = z.object({
  trigger: z.literal("push"),
  repo: text,
  ref: text,
  before: commitId,
  after: commitId,
  sender: text,
  files: z.array(z.string()),
  policyFiles: z.array(z.string()).exactOptional(),
  truncated: z.boolean(),
});
const pullRequestJob = z.object({ trigger: z.literal("pull_request"), repo: text, number, headSha: commitId, sender: text });

/**
 * A job as the worker needs it, per trigger. The inbox's own schema is loose (a log line must not
 * stop a start), so a job read back from it, written by an older version or edited by hand, is
 * checked with this before it runs. Typed against Job so the two cannot drift apart.
 */
const jobSchema: z.ZodType<Job> = z.discriminatedUnion("trigger", [issueJob, pushJob, pullRequestJob]);

export type CheckedJob = { ok: true; job: Job } | { ok: false; problem: string };

/** Unknown keys are dropped, not refused: a field a newer version added harms nothing here. */
export function checkRecoveredJob(job: unknown): CheckedJob {
  const result = jobSchema.safeParse(job);
  if (result.success) return { ok: true, job: result.data };
  const issue = result.error.issues[0]!;
  return { ok: false, problem: `\`${issue.path.join(".") || "(job)"}\`: ${issue.message.toLowerCase()}` };
}

import * as z from "zod";
import { attachmentSchema } from "./webhook-payloads.js";

// Subsets of Forgejo's API definitions (swagger.v15.0.3.json, v11 LTS): the fields the gate reads.
export const issueSchema = z.object({
  number: z.number().int(),
  body: z.string().nullish(),
  assets: z.array(attachmentSchema).nullish(),
  pull_request: z.unknown().nullish(),
});

export const commentSchema = z.object({
  id: z.number().int(),
  body: z.string().nullish(),
  user: z.object({ login: z.string() }).nullish(),
  assets: z.array(attachmentSchema).nullish(),
});

export const changedFileSchema = z.object({
  filename: z.string(),
  status: z.string().nullish(),
});

// Forgejo's CompareDiff always lists `files` (each listed commit's, [] for none). One that does not
// cannot say what a push changed: that is an unreadable answer, never "nothing changed".
export const compareSchema = z.object({
  files: z.array(changedFileSchema),
  total_commits: z.number().int().nullish(),
});

// GET /repos/{o}/{r}/pulls/{index} (PullRequest): its head (PRBranchInfo.sha), "" when Forgejo
// cannot resolve the head branch.
export const pullRequestSchema = z.object({
  head: z.object({ sha: z.string().nullish() }).nullish(),
});

export const versionSchema = z.object({ version: z.string() });

export type Issue = z.output<typeof issueSchema>;
export type Comment = z.output<typeof commentSchema>;
export type ChangedFile = z.output<typeof changedFileSchema>;

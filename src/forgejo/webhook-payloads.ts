import * as z from "zod";

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

export const pullRequestPayload = z.object({
  action: z.string(),
  number: z.number().int().positive(),
  pull_request: z.object({
    labels: z.array(label).nullish(),
    body: z.string().nullish(),
    head: z.object({ sha: z.string() }),
  }),
  repository,
  sender: user,
});

export const commentPayload = z.object({
  action: z.string(),
  issue,
  comment: z.object({ id: z.number().int(), body: z.string().nullish(), user: user.nullish() }),
  repository,
  sender: user,
});

export const pushPayload = z.object({
  ref: z.string(),
  before: z.string(),
  after: z.string(),
  commits: z.array(z.object({ id: z.string(), added: z.array(z.string()).nullish(), modified: z.array(z.string()).nullish(), removed: z.array(z.string()).nullish() })).nullish(),
  total_commits: z.number().int().nullish(),
  repository,
  sender: user,
});

export type Attachment = z.output<typeof attachmentSchema>;

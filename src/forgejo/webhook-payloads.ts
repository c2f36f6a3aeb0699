import * as z from "zod";

// Only the fields the gate reads; Forgejo sends many more, and may add others.
const user = z.looseObject({ login: z.string() });
const label = z.looseObject({ name: z.string() });
export const attachmentSchema = z.looseObject({
  id: z.number().int().optional(),
  name: z.string(),
  size: z.number().int().optional(),
  uuid: z.string().optional(),
  browser_download_url: z.string(),
});
const repository = z.looseObject({ full_name: z.string() });

const issue = z.looseObject({
  number: z.number().int().positive(),
  body: z.string().nullish(),
  labels: z.array(label).nullish(),
  assets: z.array(attachmentSchema).nullish(),
  pull_request: z.unknown().nullish(),
});

export const issuesPayload = z.looseObject({
  action: z.string(),
  issue,
  repository,
  sender: user,
});

export const pullRequestPayload = z.looseObject({
  action: z.string(),
  number: z.number().int().positive(),
  pull_request: z.looseObject({
    labels: z.array(label).nullish(),
    body: z.string().nullish(),
    head: z.looseObject({ sha: z.string() }),
  }),
  repository,
  sender: user,
});

export const commentPayload = z.looseObject({
  action: z.string(),
  issue,
  comment: z.looseObject({ id: z.number().int(), body: z.string().nullish(), user: user.nullish() }),
  repository,
  sender: user,
});

export const pushPayload = z.looseObject({
  ref: z.string(),
  before: z.string(),
  after: z.string(),
  commits: z.array(z.looseObject({ id: z.string(), added: z.array(z.string()).nullish(), modified: z.array(z.string()).nullish(), removed: z.array(z.string()).nullish() })).nullish(),
  total_commits: z.number().int().nullish(),
  repository,
  sender: user,
});

export type Attachment = z.output<typeof attachmentSchema>;

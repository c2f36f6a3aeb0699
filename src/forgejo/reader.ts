import * as z from "zod";
import { commentSchema, compareSchema, changedFileSchema, issueSchema, versionSchema, type ChangedFile, type Comment, type Issue } from "./api-schemas.js";
import { ForgejoError } from "./forgejo-error.js";
import { parseJsonResponse, request, type HttpOptions } from "./http.js";
import { attachmentSchema, type Attachment } from "./webhook-payloads.js";

const PAGE_LIMIT = 50;

const MAX_PULL_FILES = 1000;

/** What a look-up for an earlier post reads; ForgejoWriter reads the same, with the write token. */
export const postedCommentSchema = commentSchema.extend({ html_url: z.string().nullish() });
export const statusSchema = z.looseObject({ description: z.string().nullish(), context: z.string().nullish() });

/** The comment carrying a proposal's marker: the proposal was posted before. */
export function markedComment(comments: ReadonlyArray<z.infer<typeof postedCommentSchema>>, marker: string): { id: number; url: string | undefined } | null {
  const found = comments.find((comment) => (comment.body ?? "").includes(marker));
  return found === undefined ? null : { id: found.id, url: found.html_url ?? undefined };
}

/** Whether a commit's statuses hold one in `context` naming the proposal: it was posted before. */
export function hasProposalStatus(statuses: ReadonlyArray<z.infer<typeof statusSchema>>, context: string, proposalId: string): boolean {
  return statuses.some((s) => s.context === context && (s.description ?? "").includes(proposalId));
}

/**
 * Everything the gate reads from Forgejo, and nothing else: this class can only GET. Writing a
 * comment or status lives in ForgejoWriter, which only an operator's approval posts with.
 */
export class ForgejoReader {
  constructor(private readonly options: HttpOptions) {}

  get origin(): string {
    return this.options.baseUrl.origin;
  }

  async version(): Promise<string> {
    return (await this.getJson(versionSchema, this.api("version"), "version")).version;
  }

  async issue(repo: string, number: number): Promise<Issue> {
    return this.getJson(issueSchema, this.api(`repos/${repoPath(repo)}/issues/${number}`), `issue ${repo}#${number}`);
  }

  /** Every comment, oldest first (Forgejo does not page this list; the response size is capped). */
  async issueComments(repo: string, number: number): Promise<Comment[]> {
    return this.getJson(z.array(commentSchema), this.api(`repos/${repoPath(repo)}/issues/${number}/comments`), `comments of ${repo}#${number}`);
  }

  /** The comment carrying `marker`, or null: whether an approval posted a proposal, told with the read token alone (a rejection asks). */
  async findComment(repo: string, number: number, marker: string): Promise<{ id: number; url: string | undefined } | null> {
    return markedComment(await this.getJson(z.array(postedCommentSchema), this.api(`repos/${repoPath(repo)}/issues/${number}/comments`), `comments of ${repo}#${number}`), marker);
  }

  /** Whether the commit has a status in `context` naming `proposalId`. */
  async findStatus(repo: string, sha: string, context: string, proposalId: string): Promise<boolean> {
    return hasProposalStatus(await this.getJson(z.array(statusSchema), this.api(`repos/${repoPath(repo)}/statuses/${encodeURIComponent(sha)}`), `statuses of ${repo}@${sha.slice(0, 12)}`), context, proposalId);
  }

  /** Forgejo leaves comment attachments out of comment webhooks; they are read here. */
  async commentAssets(repo: string, commentId: number): Promise<Attachment[]> {
    return this.getJson(z.array(attachmentSchema), this.api(`repos/${repoPath(repo)}/issues/comments/${commentId}/assets`), `attachments of comment ${commentId}`);
  }

  /**
   * Every page of a pull request's changed files. Forgejo caps the page size at its [api]
   * MAX_RESPONSE_ITEMS, which may be below the size asked for, so a short page is not the last one:
   * `X-HasMore` says whether another follows. Without it (a server that does not send it), only an
   * empty page ends the list: one request more, never a file less.
   */
  async pullFiles(repo: string, number: number): Promise<ChangedFile[]> {
    const what = `changed files of ${repo}#${number}`;
    const files: ChangedFile[] = [];
    // Each page that does not end the list adds a file, so this ends within MAX_PULL_FILES + 1 pages.
    for (let page = 1; ; page++) {
      const url = this.api(`repos/${repoPath(repo)}/pulls/${number}/files`);
      url.searchParams.set("page", String(page));
      url.searchParams.set("limit", String(PAGE_LIMIT));
      const { bytes, headers } = await this.get(url, what);
      const batch = parseJsonResponse(z.array(changedFileSchema), bytes, what);
      files.push(...batch);
      if (files.length > MAX_PULL_FILES) throw new ForgejoError("too_large", `${repo}#${number} changes more than ${MAX_PULL_FILES} files; the gate does not read a pull request that large`);
      const hasMore = headers.get("x-hasmore")?.trim().toLowerCase();
      if (hasMore === "false") return files;
      if (batch.length === 0) {
        if (hasMore === "true") throw new ForgejoError("invalid_response", `${what}: Forgejo says more files follow page ${page} but sent none on it`);
        return files;
      }
    }
  }

  /** Files changed between two commits, for pushes that listed fewer commits than they held. */
  async compareFiles(repo: string, base: string, head: string): Promise<ChangedFile[]> {
    const url = this.api(`repos/${repoPath(repo)}/compare/${encodeURIComponent(`${base}...${head}`)}`);
    return (await this.getJson(compareSchema, url, `compare ${base.slice(0, 12)}...${head.slice(0, 12)}`)).files ?? [];
  }

  /** A file at a commit. `media` resolves Git LFS objects, where `raw` would return the pointer. */
  async file(repo: string, path: string, ref: string): Promise<Uint8Array> {
    const url = this.api(`repos/${repoPath(repo)}/media/${path.split("/").map(encodeURIComponent).join("/")}`);
    url.searchParams.set("ref", ref);
    return (await this.get(url, `${path} at ${ref.slice(0, 12)}`)).bytes;
  }

  /** An attachment, by its browser_download_url, which must point at this Forgejo. */
  async attachment(attachment: Attachment): Promise<Uint8Array> {
    let url: URL;
    try {
      url = new URL(attachment.browser_download_url);
    } catch {
      throw new ForgejoError("invalid_response", `attachment \`${attachment.name}\` has no valid download URL`);
    }
    return (await this.get(url, `attachment ${attachment.name}`)).bytes;
  }

  private api(path: string): URL {
    const base = this.options.baseUrl.href.endsWith("/") ? this.options.baseUrl.href : `${this.options.baseUrl.href}/`;
    return new URL(`api/v1/${path}`, base);
  }

  private async get(url: URL, what: string): Promise<{ bytes: Uint8Array; headers: Headers }> {
    const { status, bytes, headers } = await request(this.options, "GET", url);
    if (status === 404) throw new ForgejoError("http", `${what}: not found (404); check that it exists and that PATCHWARDEN_FORGEJO_TOKEN may read it`, 404);
    if (status === 401 || status === 403) throw new ForgejoError("http", `${what}: Forgejo refused the read token (${status}); give PATCHWARDEN_FORGEJO_TOKEN read access to the repository`, status);
    if (status < 200 || status >= 300) throw new ForgejoError("http", `${what}: Forgejo answered ${status}`, status);
    return { bytes, headers };
  }

  private async getJson<S extends z.ZodType>(schema: S, url: URL, what: string): Promise<z.output<S>> {
    return parseJsonResponse(schema, (await this.get(url, what)).bytes, what);
  }
}

export function repoPath(repo: string): string {
  const [owner, name] = repo.split("/");
  return `${encodeURIComponent(owner ?? "")}/${encodeURIComponent(name ?? "")}`;
}

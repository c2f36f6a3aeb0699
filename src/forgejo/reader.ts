import * as z from "zod";
import { commentSchema, compareSchema, changedFileSchema, issueSchema, pullRequestSchema, versionSchema, type ChangedFile, type Comment, type Issue } from "./api-schemas.js";
import { ForgejoError } from "./forgejo-error.js";
import { parseJsonResponse, request, type HttpOptions } from "./http.js";
import { attachmentSchema, type Attachment } from "./webhook-payloads.js";

const PAGE_LIMIT = 50;

/** Forgejo's attachment uuids (gouuid's canonical form): nothing else goes into the download path. */
const ATTACHMENT_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const MAX_PULL_FILES = 1000;

/** What a look-up for an earlier post reads; ForgejoWriter reads the same, with the write token. */
export const postedCommentSchema = commentSchema.extend({ html_url: z.string().nullish() });
export const statusSchema = z.looseObject({ description: z.string().nullish(), context: z.string().nullish() });

/**
 * The comment holding a proposal's whole text: the proposal was posted before. Not the marker
 * alone: anyone who may comment on the issue can write the marker, with words of their own, and
 * an approval would then record their comment as its post and post nothing.
 */
export function postedComment(comments: ReadonlyArray<z.infer<typeof postedCommentSchema>>, body: string): { id: number; url: string | undefined } | null {
  const expected = sameText(body);
  const found = comments.find((comment) => comment.body != null && sameText(comment.body) === expected);
  return found === undefined ? null : { id: found.id, url: found.html_url ?? undefined };
}

// Line endings and trailing whitespace are the only changes a forge's storage may make to a text.
const sameText = (text: string): string => text.replace(/\r\n/g, "\n").trimEnd();

/** Whether a commit's statuses hold one in `context` naming the proposal: it was posted before. */
export function hasProposalStatus(statuses: ReadonlyArray<z.infer<typeof statusSchema>>, context: string, proposalId: string): boolean {
  return statuses.some((s) => s.context === context && (s.description ?? "").includes(proposalId));
}

/** One GET of a listing: the body and headers of a 2xx answer; anything else throws a ForgejoError. */
export type GetPage = (url: URL) => Promise<{ bytes: Uint8Array; headers: Headers }>;

/**
 * Every page of a listing Forgejo pages, in order. Forgejo caps the page size at its [api]
 * MAX_RESPONSE_ITEMS, which may be below the size asked for, so a short page is not the last one:
 * `X-HasMore: false` ends it, else (a listing or server that does not send it) only an empty page
 * does: one request more, never an item less. `maxPages` bounds a server that never ends.
 */
export async function* readPages<S extends z.ZodType>(get: GetPage, url: URL, schema: S, what: string, noun: string, maxPages: number): AsyncGenerator<Array<z.output<S>>> {
  for (let page = 1; page <= maxPages; page++) {
    const pageUrl = new URL(url);
    pageUrl.searchParams.set("page", String(page));
    pageUrl.searchParams.set("limit", String(PAGE_LIMIT));
    const { bytes, headers } = await get(pageUrl);
    const batch = parseJsonResponse(z.array(schema), bytes, what);
    const hasMore = headers.get("x-hasmore")?.trim().toLowerCase();
    if (batch.length === 0 && hasMore === "true") throw new ForgejoError("invalid_response", `${what}: Forgejo says more ${noun} follow page ${page} but sent none on it`);
    if (batch.length > 0) yield batch;
    if (hasMore === "false" || batch.length === 0) return;
  }
  throw new ForgejoError("too_large", `${what}: still more after ${maxPages} pages; Patchwarden reads no further, so what it looked for cannot be told from Forgejo's answer`);
}

// Statuses come newest first, so a proposal's is found on the first page unless CI posted many
// since; 20 pages (1000 statuses) is far beyond any commit's, and bounds a server that never ends.
const MAX_STATUS_PAGES = 20;

/**
 * Whether a commit's statuses hold the proposal's, reading page after page (newest first, Forgejo's
 * default order) until it is found or the list ends: a status buried under later CI statuses is
 * still found, so a retried approval does not post it twice.
 */
export async function findProposalStatus(get: GetPage, url: URL, what: string, context: string, proposalId: string): Promise<boolean> {
  for await (const batch of readPages(get, url, statusSchema, what, "statuses", MAX_STATUS_PAGES)) {
    if (hasProposalStatus(batch, context, proposalId)) return true;
  }
  return false;
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

  /** The comment holding exactly `body`, or null: whether an approval posted a proposal, told with the read token alone (a rejection asks). */
  async findComment(repo: string, number: number, body: string): Promise<{ id: number; url: string | undefined } | null> {
    return postedComment(await this.getJson(z.array(postedCommentSchema), this.api(`repos/${repoPath(repo)}/issues/${number}/comments`), `comments of ${repo}#${number}`), body);
  }

  /** Whether the commit has a status in `context` naming `proposalId`, on any page. */
  async findStatus(repo: string, sha: string, context: string, proposalId: string): Promise<boolean> {
    const what = `statuses of ${repo}@${sha.slice(0, 12)}`;
    return findProposalStatus((url) => this.get(url, what), this.api(`repos/${repoPath(repo)}/statuses/${encodeURIComponent(sha)}`), what, context, proposalId);
  }

  /** Forgejo leaves comment attachments out of comment webhooks; they are read here. */
  async commentAssets(repo: string, commentId: number): Promise<Attachment[]> {
    return this.getJson(z.array(attachmentSchema), this.api(`repos/${repoPath(repo)}/issues/comments/${commentId}/assets`), `attachments of comment ${commentId}`);
  }

  /** A pull request's head commit as Forgejo names it now; "" or null when it cannot resolve it. */
  async pullHead(repo: string, number: number): Promise<string | null> {
    const pull = await this.getJson(pullRequestSchema, this.api(`repos/${repoPath(repo)}/pulls/${number}`), `pull request ${repo}#${number}`);
    return pull.head?.sha ?? null;
  }

  /** Every page of a pull request's changed files (see readPages). */
  async pullFiles(repo: string, number: number): Promise<ChangedFile[]> {
    const what = `changed files of ${repo}#${number}`;
    const files: ChangedFile[] = [];
    // Each page that does not end the list adds a file, so this ends within MAX_PULL_FILES + 1 pages.
    for await (const batch of readPages((url) => this.get(url, what), this.api(`repos/${repoPath(repo)}/pulls/${number}/files`), changedFileSchema, what, "files", MAX_PULL_FILES + 1)) {
      files.push(...batch);
      if (files.length > MAX_PULL_FILES) throw new ForgejoError("too_large", `${repo}#${number} changes more than ${MAX_PULL_FILES} files; the gate does not read a pull request that large`);
    }
    return files;
  }

  /** Files changed between two commits, for pushes that listed fewer commits than they held. */
  async compareFiles(repo: string, base: string, head: string): Promise<ChangedFile[]> {
    const url = this.api(`repos/${repoPath(repo)}/compare/${encodeURIComponent(`${base}...${head}`)}`);
    return (await this.getJson(compareSchema, url, `compare ${base.slice(0, 12)}...${head.slice(0, 12)}`)).files;
  }

  /** A file at a commit. `media` resolves Git LFS objects, where `raw` would return the pointer. */
  async file(repo: string, path: string, ref: string): Promise<Uint8Array> {
    const url = this.api(`repos/${repoPath(repo)}/media/${path.split("/").map(encodeURIComponent).join("/")}`);
    url.searchParams.set("ref", ref);
    return (await this.get(url, `${path} at ${ref.slice(0, 12)}`)).bytes;
  }

  /**
   * An attachment, read from this Forgejo at `attachments/{uuid}`. Forgejo writes browser_download_url
   * as `{ROOT_URL}attachments/{uuid}`: its public address, which need not be the one Patchwarden
   * reaches it at (PATCHWARDEN_FORGEJO_URL; on the Forgejo host, http://127.0.0.1:3000). The uuid
   * names the file on any address of the instance, so the URL's own origin is never followed, and
   * the token never goes anywhere but the configured Forgejo. An external attachment (a link Forgejo
   * keeps to a file elsewhere) is not a file of this Forgejo, and is refused.
   */
  async attachment(attachment: Attachment): Promise<Uint8Array> {
    if (attachment.type === "external") {
      throw new ForgejoError("foreign_origin", `attachment \`${attachment.name}\` is a link to a file elsewhere (an external attachment), not a file on the configured Forgejo (${this.origin}); Patchwarden only reads from its own Forgejo`);
    }
    if (attachment.uuid === undefined || attachment.uuid === null || !ATTACHMENT_UUID.test(attachment.uuid)) {
      throw new ForgejoError("invalid_response", `attachment \`${attachment.name}\` has no valid uuid, so it cannot be read from the configured Forgejo`);
    }
    return (await this.get(new URL(`attachments/${attachment.uuid}`, this.base()), `attachment ${attachment.name}`)).bytes;
  }

  private api(path: string): URL {
    return new URL(`api/v1/${path}`, this.base());
  }

  /** The configured Forgejo, as a folder: a sub-path install (`https://host/forgejo`) keeps its path. */
  private base(): string {
    return this.options.baseUrl.href.endsWith("/") ? this.options.baseUrl.href : `${this.options.baseUrl.href}/`;
  }

  private async get(url: URL, what: string): Promise<{ bytes: Uint8Array; headers: Headers }> {
    const { status, bytes, headers } = await request(this.options, "GET", url);
    // Without a token only public repositories can be read: say that none was sent, not that it was refused.
    const unset = this.options.token === undefined;
    if (status === 404) throw new ForgejoError("http", `${what}: not found (404); check that it exists and that ${unset ? "it is public, or set PATCHWARDEN_FORGEJO_TOKEN to a token that may read it" : "PATCHWARDEN_FORGEJO_TOKEN may read it"}`, 404);
    if (status === 401 || status === 403) {
      const fix = unset ? "PATCHWARDEN_FORGEJO_TOKEN is not set, and this Forgejo asks for one: set it to a token with read access to the repository (read:repository, read:issue)" : "give PATCHWARDEN_FORGEJO_TOKEN read access to the repository";
      throw new ForgejoError("http", `${what}: Forgejo ${unset ? "refused to answer without a token" : "refused the read token"} (${status}); ${fix}`, status);
    }
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

import * as z from "zod";
import { quote } from "../diagnostics/diagnostic.js";
import { ForgejoError } from "./forgejo-error.js";
import { parseJsonResponse, request, type HttpOptions } from "./http.js";
import { findProposalStatus, postedComment, postedCommentSchema, repoPath } from "./reader.js";

interface TokenScope {
  name: string;
  access: string;
}

// The scope a write token needs for each call; reads ask for the same, as the post comes next.
const ISSUE_SCOPE: TokenScope = { name: "write:issue", access: "issue write access" };
const STATUS_SCOPE: TokenScope = { name: "write:repository", access: "repository write access (commit statuses)" };

/**
 * The only code that writes to Forgejo. Only `queue approve` and the review page's approve post
 * with it (`queue reject` builds one only to look up a post), with the operator's write token;
 * the server never holds a write token.
 */
export class ForgejoWriter {
  constructor(private readonly options: HttpOptions) {
    if (options.token === undefined) throw new Error("a ForgejoWriter needs PATCHWARDEN_FORGEJO_WRITE_TOKEN");
  }

  async postComment(repo: string, number: number, body: string): Promise<{ id: number; url: string | undefined }> {
    const url = this.api(`repos/${repoPath(repo)}/issues/${number}/comments`);
    const { status, bytes } = await request(this.options, "POST", url, { body });
    this.expect(status, 201, `posting the comment on ${repo}#${number}`, ISSUE_SCOPE, bytes);
    const comment = parseJsonResponse(postedCommentSchema, bytes, "the posted comment");
    return { id: comment.id, url: comment.html_url ?? undefined };
  }

  async postStatus(repo: string, sha: string, status: { state: string; context: string; description: string; target_url?: string }): Promise<void> {
    const url = this.api(`repos/${repoPath(repo)}/statuses/${encodeURIComponent(sha)}`);
    const response = await request(this.options, "POST", url, status);
    this.expect(response.status, 201, `posting the status on ${repo}@${sha.slice(0, 12)}`, STATUS_SCOPE, response.bytes);
  }

  /** A comment already holding exactly this text: the proposal was posted before (a retry must not post again). */
  async findComment(repo: string, number: number, body: string): Promise<{ id: number; url: string | undefined } | null> {
    const url = this.api(`repos/${repoPath(repo)}/issues/${number}/comments`);
    const { status, bytes } = await request(this.options, "GET", url);
    this.expect(status, 200, `reading the comments of ${repo}#${number}`, ISSUE_SCOPE, bytes);
    return postedComment(parseJsonResponse(z.array(postedCommentSchema), bytes, "comments"), body);
  }

  /** A status in `context` naming the proposal, on any page: posted before, however many CI statuses came since. */
  async findStatus(repo: string, sha: string, context: string, proposalId: string): Promise<boolean> {
    const what = `reading the statuses of ${repo}@${sha.slice(0, 12)}`;
    const get = async (url: URL) => {
      const { status, bytes, headers } = await request(this.options, "GET", url);
      this.expect(status, 200, what, STATUS_SCOPE, bytes);
      return { bytes, headers };
    };
    return findProposalStatus(get, this.api(`repos/${repoPath(repo)}/statuses/${encodeURIComponent(sha)}`), what, context, proposalId);
  }

  private api(path: string): URL {
    const base = this.options.baseUrl.href.endsWith("/") ? this.options.baseUrl.href : `${this.options.baseUrl.href}/`;
    return new URL(`api/v1/${path}`, base);
  }

  /** Each status Forgejo's API description lists for these calls, said with what to do about it. */
  private expect(status: number, wanted: number, what: string, scope: TokenScope, bytes: Uint8Array): void {
    if (status === wanted) return;
    if (status === 401 || status === 403) throw new ForgejoError("http", `${what}: Forgejo refused the write token (${status}); PATCHWARDEN_FORGEJO_WRITE_TOKEN needs ${scope.access} (${scope.name})`, status);
    // A deleted issue, and a private repository the token may not see, both answer 404.
    if (status === 404) throw new ForgejoError("http", `${what}: not found (404); check that it still exists and that the write token (PATCHWARDEN_FORGEJO_WRITE_TOKEN) may see the repository`, status);
    if (status === 423) throw new ForgejoError("http", `${what}: the repository is archived (423), so nothing can be posted to it; un-archive it in Forgejo, or reject the proposal`, status);
    const said = forgejoMessage(bytes);
    throw new ForgejoError("http", `${what}: Forgejo answered ${status}${said === null ? "" : ` (${quote(said)})`}`, status);
  }
}

/** The `message` of Forgejo's JSON error body (APIError), if it has one. */
function forgejoMessage(bytes: Uint8Array): string | null {
  try {
    const body: unknown = JSON.parse(Buffer.from(bytes).toString("utf8"));
    const message = typeof body === "object" && body !== null ? (body as Record<string, unknown>)["message"] : undefined;
    return typeof message === "string" && message.trim() !== "" ? message : null;
  } catch {
    return null;
  }
}

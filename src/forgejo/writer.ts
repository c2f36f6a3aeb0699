import * as z from "zod";
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
    this.expect(status, 201, `posting the comment on ${repo}#${number}`, ISSUE_SCOPE);
    const comment = parseJsonResponse(postedCommentSchema, bytes, "the posted comment");
    return { id: comment.id, url: comment.html_url ?? undefined };
  }

  async postStatus(repo: string, sha: string, status: { state: string; context: string; description: string; target_url?: string }): Promise<void> {
    const url = this.api(`repos/${repoPath(repo)}/statuses/${encodeURIComponent(sha)}`);
    const response = await request(this.options, "POST", url, status);
    this.expect(response.status, 201, `posting the status on ${repo}@${sha.slice(0, 12)}`, STATUS_SCOPE);
  }

  /** A comment already holding exactly this text: the proposal was posted before (a retry must not post again). */
  async findComment(repo: string, number: number, body: string): Promise<{ id: number; url: string | undefined } | null> {
    const url = this.api(`repos/${repoPath(repo)}/issues/${number}/comments`);
    const { status, bytes } = await request(this.options, "GET", url);
    this.expect(status, 200, `reading the comments of ${repo}#${number}`, ISSUE_SCOPE);
    return postedComment(parseJsonResponse(z.array(postedCommentSchema), bytes, "comments"), body);
  }

  /** A status in `context` naming the proposal, on any page: posted before, however many CI statuses came since. */
  async findStatus(repo: string, sha: string, context: string, proposalId: string): Promise<boolean> {
    const what = `reading the statuses of ${repo}@${sha.slice(0, 12)}`;
    const get = async (url: URL) => {
      const { status, bytes, headers } = await request(this.options, "GET", url);
      this.expect(status, 200, what, STATUS_SCOPE);
      return { bytes, headers };
    };
    return findProposalStatus(get, this.api(`repos/${repoPath(repo)}/statuses/${encodeURIComponent(sha)}`), what, context, proposalId);
  }

  private api(path: string): URL {
    const base = this.options.baseUrl.href.endsWith("/") ? this.options.baseUrl.href : `${this.options.baseUrl.href}/`;
    return new URL(`api/v1/${path}`, base);
  }

  private expect(status: number, wanted: number, what: string, scope: TokenScope): void {
    if (status === wanted) return;
    if (status === 401 || status === 403) throw new ForgejoError("http", `${what}: Forgejo refused the write token (${status}); PATCHWARDEN_FORGEJO_WRITE_TOKEN needs ${scope.access} (${scope.name})`, status);
    throw new ForgejoError("http", `${what}: Forgejo answered ${status}`, status);
  }
}

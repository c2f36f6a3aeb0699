import { createHash, randomUUID } from "node:crypto";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeEach, expect } from "vitest";
import type { HttpOptions } from "../../src/forgejo/http.js";
import { ForgejoReader } from "../../src/forgejo/reader.js";
import { CONTRACTS } from "./forgejo-contract.js";

export const FORGEJO_ORIGIN = "http://forgejo.test";

interface FakeAttachment {
  id: number;
  name: string;
  size: number;
  uuid: string;
  bytes: Uint8Array;
}

interface FakeComment {
  id: number;
  body: string;
  login: string;
  assets: FakeAttachment[];
}

/** A commit as a compare lists it: its id and the files it touched (`added`, `modified`, `removed`). */
interface FakeCommit {
  sha: string;
  files: Array<{ filename: string; status: "added" | "modified" | "removed" }>;
}

interface FakeIssue {
  number: number;
  title: string;
  body: string;
  isPull: boolean;
  labels: string[];
  assets: FakeAttachment[];
  comments: FakeComment[];
  pullFiles: Array<{ filename: string; status: string }>;
}

/** The fakes that answered a request in the current test: startMsw's afterEach checks their violations. */
const servedThisTest = new Set<FakeForgejo>();

/**
 * A Forgejo instance in memory, speaking Forgejo's API as its description says. Every request and
 * every JSON response is checked against swagger v15.0.3 and v11 LTS; problems land in
 * `violations`, which startMsw asserts empty after each test. A request the description does not
 * allow is refused with 422, as Forgejo would, never served. Writes are refused (and recorded as
 * violations) unless `writesAllowed`: the intake and evaluation path must never write.
 */
export class FakeForgejo {
  readonly violations: string[] = [];
  readonly requests: Array<{ method: string; path: string }> = [];
  readonly posted: Array<{ repo: string; number: number; body: string; id: number }> = [];
  readonly statuses = new Map<string, Array<{ state: string; context: string; description: string }>>();
  writesAllowed = false;
  /** Forgejo's [api] MAX_RESPONSE_ITEMS: the largest page it serves, whatever `limit` asks for. */
  maxResponseItems = 50;
  /** "down": connection refused; a number: every API call answers that status. */
  failure: "down" | number | null = null;
  private readonly issues = new Map<string, FakeIssue>();
  private readonly files = new Map<string, Uint8Array>();
  private readonly attachments = new Map<string, FakeAttachment>();
  private readonly comparisons = new Map<string, FakeCommit[]>();
  private nextId = 100;

  /**
   * `origin`: where the fake answers (PATCHWARDEN_FORGEJO_URL). `rootUrl`: Forgejo's [server]
   * ROOT_URL, which its answers' URLs (browser_download_url, html_url) are written with; the same as
   * `origin` unless a test says otherwise.
   */
  constructor(
    readonly origin: string = FORGEJO_ORIGIN,
    readonly rootUrl: string = origin,
  ) {}

  issue(repo: string, number: number, init: Partial<Omit<FakeIssue, "number" | "assets" | "comments">> = {}): FakeIssue {
    const issue: FakeIssue = { number, title: init.title ?? `issue ${number}`, body: init.body ?? "", isPull: init.isPull ?? false, labels: init.labels ?? [], assets: [], comments: [], pullFiles: init.pullFiles ?? [] };
    this.issues.set(`${repoKey(repo)}#${number}`, issue);
    return issue;
  }

  attach(issue: FakeIssue | FakeComment, name: string, bytes: Uint8Array | string): FakeAttachment {
    const data = typeof bytes === "string" ? Buffer.from(bytes) : bytes;
    const attachment = { id: this.nextId++, name, size: data.byteLength, uuid: randomUUID(), bytes: data };
    issue.assets.push(attachment);
    this.attachments.set(attachment.uuid, attachment);
    return attachment;
  }

  comment(issue: FakeIssue, login: string, body: string): FakeComment {
    const comment = { id: this.nextId++, body, login, assets: [] };
    issue.comments.push(comment);
    return comment;
  }

  file(repo: string, ref: string, path: string, bytes: Uint8Array | string): void {
    this.files.set(`${repoKey(repo)}@${ref}:${path}`, typeof bytes === "string" ? Buffer.from(bytes) : bytes);
  }

  /** The commits between `base` and `head`, newest first (git log's order, and Forgejo's), for GET compare/{base}...{head}. */
  compare(repo: string, base: string, head: string, commits: FakeCommit[]): void {
    this.comparisons.set(`${repoKey(repo)}@${base}...${head}`, commits);
  }

  writes(): Array<{ method: string; path: string }> {
    return this.requests.filter((r) => r.method !== "GET");
  }

  /** msw handlers for this instance; other origins are left to the test (e.g. our own server). */
  handlers() {
    return [http.all(`${this.origin}/*`, async ({ request }) => this.handle(request))];
  }

  async handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    this.requests.push({ method: request.method, path: `${url.pathname}${url.search}` });
    servedThisTest.add(this);
    if (this.failure === "down") return Response.error();
    if (url.pathname.startsWith("/attachments/")) return this.downloadAttachment(url);
    const text = request.method === "GET" ? "" : await request.text();
    const body = text === "" ? undefined : (JSON.parse(text) as unknown);
    const problems = CONTRACTS.flatMap((contract) => contract.checkRequest(request.method, url, body));
    this.violations.push(...problems);
    if (request.method !== "GET" && !this.writesAllowed) {
      this.violations.push(`write during intake/evaluation: ${request.method} ${url.pathname}`);
      return HttpResponse.json({ message: "writes are not allowed here" }, { status: 403 });
    }
    // Forgejo refuses what it cannot bind (APIValidationError): serving it would let the test pass on an answer Forgejo never gives.
    if (problems.length > 0) return HttpResponse.json({ message: problems.join("; "), url: "" }, { status: 422 });
    if (typeof this.failure === "number") return HttpResponse.json({ message: "injected failure" }, { status: this.failure });
    const response = this.route(request.method, url, body);
    if (response.json !== undefined) {
      for (const contract of CONTRACTS) this.violations.push(...contract.checkResponse(request.method, url.pathname, response.status, response.json));
      return HttpResponse.json(response.json as never, { status: response.status, headers: response.headers ?? {} });
    }
    return new HttpResponse(response.bytes ?? null, { status: response.status, headers: { "content-type": "application/octet-stream" } });
  }

  private route(method: string, url: URL, body: unknown): { status: number; json?: unknown; bytes?: Uint8Array; headers?: Record<string, string> } {
    const path = url.pathname.replace(/^\/api\/v1/, "");
    let m: RegExpExecArray | null;
    if (method === "GET" && path === "/version") return { status: 200, json: { version: "15.0.3+gitea-1.22.0" } };
    if ((m = /^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)$/.exec(path)) && method === "GET") {
      const issue = this.issues.get(`${repoKey(decodeURIComponent(m[1]!))}#${m[2]}`);
      return issue ? { status: 200, json: this.issueJson(decodeURIComponent(m[1]!), issue) } : notFound();
    }
    if ((m = /^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)\/comments$/.exec(path))) {
      const repo = decodeURIComponent(m[1]!);
      const issue = this.issues.get(`${repoKey(repo)}#${m[2]}`);
      if (!issue) return notFound();
      if (method === "GET") return { status: 200, json: issue.comments.map((c) => this.commentJson(repo, issue, c)) };
      const comment = this.comment(issue, "patchwarden-bot", (body as { body: string }).body);
      this.posted.push({ repo, number: issue.number, body: comment.body, id: comment.id });
      return { status: 201, json: this.commentJson(repo, issue, comment) };
    }
    if ((m = /^\/repos\/([^/]+\/[^/]+)\/issues\/comments\/(\d+)\/assets$/.exec(path)) && method === "GET") {
      for (const issue of this.issues.values()) {
        const comment = issue.comments.find((c) => c.id === Number(m![2]));
        if (comment) return { status: 200, json: comment.assets.map((a) => this.attachmentJson(a)) };
      }
      return notFound();
    }
    if ((m = /^\/repos\/([^/]+\/[^/]+)\/media\/(.+)$/.exec(path)) && method === "GET") {
      const bytes = this.files.get(`${repoKey(decodeURIComponent(m[1]!))}@${url.searchParams.get("ref")}:${m[2]!.split("/").map(decodeURIComponent).join("/")}`);
      return bytes ? { status: 200, bytes } : notFound();
    }
    if ((m = /^\/repos\/([^/]+\/[^/]+)\/pulls\/(\d+)\/files$/.exec(path)) && method === "GET") {
      const issue = this.issues.get(`${repoKey(decodeURIComponent(m[1]!))}#${m[2]}`);
      if (!issue) return notFound();
      const { limit, page } = paging(url, this.maxResponseItems);
      const slice = issue.pullFiles.slice((page - 1) * limit, page * limit);
      const json = slice.map((f) => ({ filename: f.filename, status: pullFileStatus(f.status), additions: 1, deletions: 0, changes: 1 }));
      return { status: 200, json, headers: { "x-hasmore": String(page * limit < issue.pullFiles.length), "x-total-count": String(issue.pullFiles.length) } };
    }
    if ((m = /^\/repos\/([^/]+\/[^/]+)\/compare\/([^/]+)$/.exec(path)) && method === "GET") {
      // repo.CompareDiff: `base...head` (or `base..head`); every listed commit with its files, and
      // all their files in one list, commit by commit, newest first.
      const repo = decodeURIComponent(m[1]!);
      const [base, head] = decodeURIComponent(m[2]!).split(/\.\.\.?/);
      const commits = this.comparisons.get(`${repoKey(repo)}@${base}...${head}`);
      if (commits === undefined) return notFound();
      const json = commits.map((c) => ({ sha: c.sha, url: `${this.rootUrl}/api/v1/repos/${repo}/git/commits/${c.sha}`, html_url: `${this.rootUrl}/${repo}/commit/${c.sha}`, created: "2026-11-21T04:00:00Z", files: c.files }));
      return { status: 200, json: { total_commits: commits.length, commits: json, files: commits.flatMap((c) => c.files) } };
    }
    if ((m = /^\/repos\/([^/]+\/[^/]+)\/statuses\/([0-9a-f]+)$/.exec(path))) {
      const key = `${decodeURIComponent(m[1]!)}@${m[2]}`;
      const list = this.statuses.get(key) ?? [];
      if (method === "GET") {
        // As Forgejo lists them: newest first (its default sort), `limit` a page (default 30, at
        // most MAX_RESPONSE_ITEMS), X-Total-Count but no X-HasMore.
        const newestFirst = list.map((s, i) => ({ id: i + 1, status: s.state, context: s.context, description: s.description })).reverse();
        const { limit, page } = paging(url, this.maxResponseItems);
        return { status: 200, json: newestFirst.slice((page - 1) * limit, page * limit), headers: { "x-total-count": String(list.length) } };
      }
      const status = body as { state: string; context: string; description: string };
      list.push(status);
      this.statuses.set(key, list);
      return { status: 201, json: { id: list.length, status: status.state, context: status.context, description: status.description } };
    }
    return notFound();
  }

  private downloadAttachment(url: URL): Response {
    const attachment = this.attachments.get(url.pathname.slice("/attachments/".length));
    return attachment ? new HttpResponse(attachment.bytes, { status: 200 }) : HttpResponse.json({ message: "not found" }, { status: 404 });
  }

  private issueJson(repo: string, issue: FakeIssue): unknown {
    return {
      id: issue.number + 1000,
      url: `${this.rootUrl}/api/v1/repos/${repo}/issues/${issue.number}`,
      html_url: `${this.rootUrl}/${repo}/issues/${issue.number}`,
      number: issue.number,
      user: user("root"),
      title: issue.title,
      body: issue.body,
      labels: issue.labels.map((name, i) => ({ id: i + 1, name, color: "e11d21", description: "", exclusive: false, is_archived: false })),
      assets: issue.assets.map((a) => this.attachmentJson(a)),
      state: "open",
      comments: issue.comments.length,
      created_at: "2026-11-21T04:00:00Z",
      updated_at: "2026-11-21T04:40:00Z",
      pull_request: issue.isPull ? { merged: false, merged_at: null, draft: false, html_url: `${this.rootUrl}/${repo}/pulls/${issue.number}` } : null,
      repository: { id: 2, name: repo.split("/")[1], owner: repo.split("/")[0], full_name: repo },
    };
  }

  private commentJson(repo: string, issue: FakeIssue, comment: FakeComment): unknown {
    return {
      id: comment.id,
      html_url: `${this.rootUrl}/${repo}/issues/${issue.number}#issuecomment-${comment.id}`,
      issue_url: `${this.rootUrl}/${repo}/issues/${issue.number}`,
      pull_request_url: "",
      user: user(comment.login),
      body: comment.body,
      assets: comment.assets.map((a) => this.attachmentJson(a)),
      created_at: "2026-11-21T04:41:00Z",
      updated_at: "2026-11-21T04:41:00Z",
    };
  }

  private attachmentJson(a: FakeAttachment): unknown {
    return { id: a.id, name: a.name, size: a.size, download_count: 0, created_at: "2026-11-21T04:40:00Z", uuid: a.uuid, browser_download_url: `${this.rootUrl}/attachments/${a.uuid}`, type: "attachment" };
  }
}

/** Forgejo finds a repository by its lower_name: `/Root/Example` answers as `/root/example`. */
function repoKey(repo: string): string {
  return repo.toLowerCase();
}

function user(login: string): unknown {
  return { id: parseInt(createHash("sha256").update(login).digest("hex").slice(0, 6), 16), login, login_name: "", full_name: "", email: `${login}@noreply.forgejo.test`, username: login, is_admin: false, active: true };
}

/**
 * A pull request's files speak convert.ToChangedFile: `deleted` and `changed`, where a compare (and
 * many a test) says `removed` and `modified`.
 */
function pullFileStatus(status: string): string {
  return status === "removed" ? "deleted" : status === "modified" ? "changed" : status;
}

/**
 * Forgejo's list options (utils.GetListOptions): `page` from 1, `limit` defaults to [api]
 * DEFAULT_PAGING_NUM (30) and is capped at MAX_RESPONSE_ITEMS; a missing or non-positive value is the default.
 */
function paging(url: URL, maxResponseItems: number): { limit: number; page: number } {
  const limit = Number(url.searchParams.get("limit") ?? 0);
  const page = Number(url.searchParams.get("page") ?? 1);
  return { limit: Math.min(limit > 0 ? limit : 30, maxResponseItems), page: page > 0 ? page : 1 };
}

function notFound(): { status: number; json: unknown } {
  return { status: 404, json: { errors: [], message: "The target couldn't be found.", url: "" } };
}

/**
 * msw in Node: our own server (localhost) is passed through; any other unmatched request fails the
 * test. After each test, every fake that answered in it must have no violations; they are then
 * cleared, so one test's stray request does not fail the next.
 */
export function startMsw(fake: FakeForgejo): ReturnType<typeof setupServer> {
  afterEach(() => {
    const found = [...servedThisTest].flatMap((served) => served.violations.splice(0));
    servedThisTest.clear();
    expect(found, "requests and responses must fit Forgejo's API description").toEqual([]);
  });
  const server = setupServer(...fake.handlers());
  server.listen({
    onUnhandledRequest(request, print) {
      const host = new URL(request.url).hostname;
      if (host === "127.0.0.1" || host === "localhost" || host === "::1") return;
      print.error();
    },
  });
  return server;
}

/**
 * What most evidence-fetching tests share: msw in front of a fresh FakeForgejo for each test, and
 * a reader of it. `forgejo.fake` is the current test's; `maxBytes` is the reader's limit (1 MiB).
 * As with startMsw, a test whose fake recorded a violation fails.
 */
export function useFakeForgejo(maxBytes = 1 << 20): { readonly fake: FakeForgejo; reader: () => ForgejoReader } {
  const msw = startMsw(new FakeForgejo());
  afterAll(() => msw.close());
  const state = { fake: new FakeForgejo(), reader: () => testReader({ maxBytes }) };
  beforeEach(() => {
    state.fake = new FakeForgejo();
    msw.resetHandlers(...state.fake.handlers());
  });
  return state;
}

/** A reader of the fake Forgejo with a read token, a 2 s timeout, a 1 MiB limit and no wait between retries. */
export function testReader(options: Partial<HttpOptions> = {}): ForgejoReader {
  return new ForgejoReader({ baseUrl: new URL(FORGEJO_ORIGIN), token: "t", timeoutMs: 2000, maxBytes: 1 << 20, fetch, retryDelayMs: 1, ...options });
}

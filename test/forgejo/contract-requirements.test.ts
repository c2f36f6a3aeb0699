import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { CONTRACTS, FORGEJO_REQUIRES, ForgejoContract } from "../helpers/forgejo-contract.js";
import { fixture } from "../helpers/paths.js";

// Forgejo's description declares almost no `required` field and no value of a Go string type, and
// the checker took any query value: a commit status with no state, an unknown state, `limit=fifty`
// and an issue holding nothing the client reads all passed. FORGEJO_REQUIRES says what Forgejo
// really requires and sends, for the operations Patchwarden uses.
const url = (path: string) => new URL(`http://forgejo.test/api/v1${path}`);
const SHA = "ef98532add3b2feb7a137426bba1248724367df5";
const STATUSES = `/repos/o/r/statuses/${SHA}`;
const request = (method: string, path: string, body?: unknown) => CONTRACTS.map((c) => c.checkRequest(method, url(path), body));
const response = (method: string, path: string, status: number, body: unknown) => CONTRACTS.map((c) => c.checkResponse(method, `/api/v1${path}`, status, body));
const user = { id: 1, login: "root" };
const attachment = { id: 7, name: "run.bundle.json", size: 2, uuid: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", browser_download_url: "https://git.example.org/attachments/a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", type: "attachment" };

describe("requests Forgejo would refuse, or read as something else, are refused", () => {
  it("a commit status posted with a misspelled key (`status` for `state`): no state, and a key Forgejo ignores", () => {
    for (const problems of request("POST", STATUSES, { status: "failure", context: "patchwarden/gate", description: "x" })) {
      expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/must have required property 'state'/), expect.stringMatching(/no field `status` here and would ignore it/)]));
    }
  });

  it("a commit status with a state Forgejo does not know", () => {
    for (const problems of request("POST", STATUSES, { state: "blocked", context: "patchwarden/gate" })) expect(problems).toEqual([expect.stringMatching(/\/state must be equal to one of the allowed values/)]);
  });

  it("a comment without a body, or with an empty one", () => {
    for (const problems of request("POST", "/repos/o/r/issues/3/comments", {})) expect(problems).toEqual([expect.stringMatching(/must have required property 'body'/)]);
    for (const problems of request("POST", "/repos/o/r/issues/3/comments", { body: "" })) expect(problems).toEqual([expect.stringMatching(/\/body must NOT have fewer than 1 characters/)]);
  });

  it("a query parameter of the wrong type (limit=fifty, page=abc)", () => {
    for (const problems of request("GET", "/repos/o/r/pulls/2/files?limit=fifty&page=abc")) {
      expect(problems).toEqual([expect.stringMatching(/query parameter `limit` must be an integer, got `fifty`/), expect.stringMatching(/query parameter `page` must be an integer, got `abc`/)]);
    }
  });

  it("a query value outside its declared enum, a malformed boolean, and a parameter given twice", () => {
    for (const problems of request("GET", `${STATUSES}?state=blocked`)) expect(problems).toEqual([expect.stringMatching(/query parameter `state` must be one of pending, success, error, failure, warning, got `blocked`/)]);
    for (const problems of request("GET", "/repos/o/r/issues?state=open&labels=a&page=1&limit=2&type=issues&milestones=x")) expect(problems).toEqual([]);
    for (const problems of request("GET", "/repos/o/r/pulls?page=1&page=2")) expect(problems).toEqual([expect.stringMatching(/query parameter `page` is given 2 times/)]);
    for (const problems of request("GET", "/repos/o/r/commits?stat=yes")) expect(problems).toEqual([expect.stringMatching(/query parameter `stat` must be a boolean, got `yes`/)]);
  });

  it("lets through every request Patchwarden makes, as it makes them", () => {
    const made: Array<[string, string, unknown?]> = [
      ["GET", "/version"],
      ["GET", "/repos/o/r/issues/3"],
      ["GET", "/repos/o/r/issues/3/comments"],
      ["GET", "/repos/o/r/issues/comments/101/assets"],
      ["GET", "/repos/o/r/pulls/2/files?page=1&limit=50"],
      ["GET", `/repos/o/r/compare/${"b".repeat(40)}...${SHA}`],
      ["GET", `/repos/o/r/media/evidence/run.bundle.json?ref=${SHA}`],
      ["GET", `${STATUSES}?page=2&limit=50`],
      ["POST", "/repos/o/r/issues/3/comments", { body: "<!-- patchwarden:proposal p_0 -->\nverdict" }],
      ["POST", STATUSES, { state: "pending", context: "patchwarden/gate", description: "needs_human (proposal p_0)" }],
    ];
    for (const [method, path, body] of made) for (const problems of request(method, path, body)) expect(problems, `${method} ${path}`).toEqual([]);
  });
});

describe("answers lacking what the client reads are refused", () => {
  it("an Issue holding none of its fields", () => {
    for (const problems of response("GET", "/repos/o/r/issues/4", 200, { unrelated: true })) expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/must have required property 'number'/)]));
  });

  it("a comment without its id, body or author, and an attachment without its uuid", () => {
    for (const problems of response("GET", "/repos/o/r/issues/4/comments", 200, [{ id: 5, body: "x", user, assets: [] }, { body: "x", assets: [] }])) {
      expect(problems).toEqual([expect.stringMatching(/\/1 must have required property 'id'/), expect.stringMatching(/\/1 must have required property 'user'/)]);
    }
    const { uuid: _uuid, ...withoutUuid } = attachment;
    for (const problems of response("GET", "/repos/o/r/issues/comments/5/assets", 200, [withoutUuid])) expect(problems).toEqual([expect.stringMatching(/\/0 must have required property 'uuid'/)]);
  });

  it("a pull request's changed file without its name, and a compare without its files", () => {
    for (const problems of response("GET", "/repos/o/r/pulls/2/files", 200, [{ status: "added" }])) expect(problems).toEqual([expect.stringMatching(/\/0 must have required property 'filename'/)]);
    for (const problems of response("GET", `/repos/o/r/compare/${"b".repeat(40)}...${SHA}`, 200, { total_commits: 20 })) {
      expect(problems).toEqual([expect.stringMatching(/must have required property 'commits'/), expect.stringMatching(/must have required property 'files'/)]);
    }
  });

  it("a commit status in a state Forgejo has not", () => {
    for (const problems of response("GET", STATUSES, 200, [{ id: 1, status: "blocked", context: "ci", description: "" }])) expect(problems).toEqual([expect.stringMatching(/\/0\/status must be equal to one of the allowed values/)]);
  });

  it("lets through whole answers as Forgejo sends them", () => {
    const comment = { id: 5, body: "x", user, assets: [attachment], html_url: "", created_at: "2026-11-21T04:41:00Z" };
    for (const problems of response("GET", "/repos/o/r/issues/4", 200, { id: 1004, number: 4, body: "", assets: [attachment], user, pull_request: null })) expect(problems).toEqual([]);
    for (const problems of response("POST", "/repos/o/r/issues/4/comments", 201, comment)) expect(problems).toEqual([]);
    for (const problems of response("GET", `/repos/o/r/compare/${"b".repeat(40)}...${SHA}`, 200, { total_commits: 0, commits: [], files: [] })) expect(problems).toEqual([]);
  });
});

describe("the overlay itself", () => {
  it("covers what the client writes and reads", () => {
    expect(Object.keys(FORGEJO_REQUIRES)).toEqual(expect.arrayContaining(["CreateStatusOption", "CreateIssueCommentOption", "CommitStatusState", "Issue", "Comment", "ChangedFile", "Attachment", "Compare", "CommitStatus"]));
  });

  it("names only definitions and fields Forgejo's description has: one it lacks throws rather than checking nothing", () => {
    const swagger = JSON.parse(readFileSync(fixture("forgejo/swagger.v15.0.3.json"), "utf8")) as { definitions: Record<string, { properties: Record<string, unknown> }> };
    delete swagger.definitions["Compare"]!.properties["files"];
    expect(() => new ForgejoContract("edited", swagger as never)).toThrow(/`Compare\.files`, which Forgejo's description does not declare/);
    delete swagger.definitions["CreateStatusOption"];
    expect(() => new ForgejoContract("edited", swagger as never)).toThrow(/`CreateStatusOption`, which Forgejo's description does not define/);
  });
});

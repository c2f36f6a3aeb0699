import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/evidence/artifact-bytes.js";
import { changedFilesOnce } from "../../src/forgejo/changed-files-once.js";
import { fetchEvidence } from "../../src/forgejo/fetch-evidence.js";
import { fetchPolicyChanges } from "../../src/forgejo/fetch-policy-changes.js";
import type { PullRequestJob, PushJob } from "../../src/forgejo/jobs.js";
import { FORGEJO_ORIGIN, testReader } from "../helpers/fake-forgejo.js";

let listings = 0;
const msw = setupServer(
  http.get(`${FORGEJO_ORIGIN}/api/v1/repos/o/r/pulls/7/files`, () => (listings++, HttpResponse.json({ message: "internal error" }, { status: 500 }))),
  http.get(`${FORGEJO_ORIGIN}/api/v1/repos/o/r/compare/:basehead`, () => (listings++, HttpResponse.json({ message: "forbidden" }, { status: 403 }))),
);
beforeAll(() => msw.listen({ onUnhandledRequest: "error" }));
afterAll(() => msw.close());
beforeEach(() => void (listings = 0));

const reader = () => testReader();
const pull: PullRequestJob = { trigger: "pull_request", repo: "o/r", number: 7, headSha: "a".repeat(40), sender: "root" };
const options = { evidenceGlobs: ["evidence/**/*.json"], limits: DEFAULT_LIMITS, maxBundles: 20 };

describe("changed files Forgejo cannot list", () => {
  it("a pull request's give an unreadable what-if that says why and what to do, not a thrown job", async () => {
    const units = await fetchPolicyChanges(reader(), pull, ["policies/**/*.toml"]);
    expect(units).toEqual([
      {
        target: { repo: "o/r", kind: "pull", number: 7 },
        change: {
          path: "policies/**/*.toml",
          ref: pull.headSha,
          bytes: new Uint8Array(),
          unreadable: "`policies/**/*.toml`: the files o/r#7 changed could not be listed (changed files of o/r#7: Forgejo answered 500), so which policy files changed is not known; push again, or check that PATCHWARDEN_FORGEJO_TOKEN may read the repository",
        },
      },
    ]);
  });

  it("a truncated push's give an unreadable what-if on the pushed commit", async () => {
    const push: PushJob = { trigger: "push", repo: "o/r", ref: "refs/heads/main", before: "b".repeat(40), after: "c".repeat(40), sender: "root", files: [], policyFiles: [], truncated: true };
    const units = await fetchPolicyChanges(reader(), push, ["policies/**/*.toml"]);
    expect(units).toHaveLength(1);
    expect(units[0]!.target).toEqual({ repo: "o/r", kind: "commit", sha: push.after });
    expect(units[0]!.change.unreadable).toMatch(/^`policies\/\*\*\/\*\.toml`: the files the push to `refs\/heads\/main` changed could not be listed \(.*403\)/);
  });

  it("asked once for a job, the failed listing blocks the evidence and the what-if both", async () => {
    const once = changedFilesOnce(reader());
    const evidence = await fetchEvidence(once, pull, options);
    const whatIfs = await fetchPolicyChanges(once, pull, ["policies/**/*.toml"]);
    expect(evidence).toHaveLength(1);
    expect(evidence[0]!.snapshot).toMatchObject({ bundle: null, problem: expect.stringMatching(/could not be read from Forgejo .*answered 500/) });
    expect(whatIfs).toHaveLength(1);
    expect(whatIfs[0]!.change.unreadable).toMatch(/answered 500/);
    expect(listings).toBe(2); // one listing and its one retry, shared by both sides
  });
});

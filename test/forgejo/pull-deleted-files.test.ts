import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/evidence/artifact-bytes.js";
import { fetchEvidence } from "../../src/forgejo/fetch-evidence.js";
import { fetchPolicyChanges } from "../../src/forgejo/fetch-policy-changes.js";
import type { PullRequestJob } from "../../src/forgejo/jobs.js";
import { FORGEJO_ORIGIN, testReader } from "../helpers/fake-forgejo.js";

// Forgejo's pulls/{index}/files speaks convert.ToChangedFile: a deleted file is `deleted` (a compare says `removed`).
const msw = setupServer(
  http.get(`${FORGEJO_ORIGIN}/api/v1/repos/o/r/pulls/4/files`, () =>
    HttpResponse.json(
      [
        { filename: "evidence/old-run.bundle.json", status: "deleted", additions: 0, deletions: 12, changes: 12 },
        { filename: "policies/old.toml", status: "deleted", additions: 0, deletions: 3, changes: 3 },
      ],
      { headers: { "x-hasmore": "false" } },
    ),
  ),
  http.get(`${FORGEJO_ORIGIN}/api/v1/repos/o/r/media/*`, () => HttpResponse.json({ message: "The target couldn't be found." }, { status: 404 })),
);
beforeAll(() => msw.listen({ onUnhandledRequest: "error" }));
afterAll(() => msw.close());

const reader = () => testReader();
const job: PullRequestJob = { trigger: "pull_request", repo: "o/r", number: 4, headSha: "a".repeat(40), sender: "root" };

describe("a pull request that deletes files", () => {
  it("does not get a blocked 'cannot read' proposal for a deleted evidence bundle", async () => {
    const units = await fetchEvidence(reader(), job, { evidenceGlobs: ["evidence/**/*.json"], limits: DEFAULT_LIMITS, maxBundles: 20 });
    expect(units).toEqual([]);
  });

  it("does not get a what-if for a deleted policy file", async () => {
    expect(await fetchPolicyChanges(reader(), job, ["policies/**/*.toml"])).toEqual([]);
  });
});

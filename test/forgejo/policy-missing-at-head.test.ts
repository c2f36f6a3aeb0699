import { describe, expect, it } from "vitest";
import { fetchPolicyChanges } from "../../src/forgejo/fetch-policy-changes.js";
import type { PullRequestJob } from "../../src/forgejo/jobs.js";
import { useFakeForgejo } from "../helpers/fake-forgejo.js";

const REPO = "o/r";
const HEAD = "a".repeat(40);
const forgejo = useFakeForgejo();

describe("policy what-if: a changed policy file Forgejo cannot give at the head", () => {
  it("is a change that says it was not replayed (never skipped silently) when the pull request did not also delete it", async () => {
    forgejo.fake.issue(REPO, 3, { isPull: true, pullFiles: [{ filename: "policies/a.yaml", status: "added" }] });
    // No file at HEAD: Forgejo answers 404.
    const job: PullRequestJob = { trigger: "pull_request", repo: REPO, number: 3, headSha: HEAD, sender: "root" };
    const units = await fetchPolicyChanges(forgejo.reader(), job, ["policies/*.yaml"]);
    expect(units).toHaveLength(1);
    expect(units[0]!.target).toEqual({ repo: REPO, kind: "pull", number: 3 });
    expect(units[0]!.change.path).toBe("policies/a.yaml");
    expect(units[0]!.change.unreadable).toMatch(/^`policies\/a\.yaml` at `aaaaaaaaaaaa`: Forgejo could not give it/);
  });
});

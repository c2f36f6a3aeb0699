import { describe, expect, it } from "vitest";
import type { ChangedFile } from "../../src/forgejo/api-schemas.js";
import { fetchPolicyChanges } from "../../src/forgejo/fetch-policy-changes.js";
import { ForgejoError } from "../../src/forgejo/forgejo-error.js";
import type { PullRequestJob, PushJob } from "../../src/forgejo/jobs.js";
import type { ForgejoReader } from "../../src/forgejo/reader.js";

const HEAD = "a".repeat(40);
const pull: PullRequestJob = { trigger: "pull_request", repo: "o/r", number: 3, headSha: HEAD, sender: "root" };
const GLOBS = ["policies/*.toml"];

function readerOf(listing: () => Promise<ChangedFile[]>, file: (path: string) => Promise<Uint8Array>): ForgejoReader {
  return { pullFiles: listing, compareFiles: listing, file: (_repo: string, path: string) => file(path) } as unknown as ForgejoReader;
}

describe("a policy what-if whose file Forgejo fails to give", () => {
  it("says so for a file the change added and deleted again when the failure is not a 404: only a 404 means it is gone", async () => {
    const files = [
      { filename: "policies/gate.toml", status: "added" },
      { filename: "policies/gate.toml", status: "deleted" },
    ] as ChangedFile[];
    const reader = readerOf(async () => files, async () => {
      throw new ForgejoError("http", "file policies/gate.toml: Forgejo answered 500", 500);
    });
    const units = await fetchPolicyChanges(reader, pull, GLOBS);
    expect(units).toHaveLength(1);
    expect(units[0]!.change).toMatchObject({ path: "policies/gate.toml", ref: HEAD, unreadable: expect.stringMatching(/^`policies\/gate\.toml` at `aaaaaaaaaaaa`: Forgejo could not give it \(file policies\/gate\.toml: Forgejo answered 500\)/) });
  });

  it("skips a file added and deleted again that Forgejo answers 404 for: there is no policy at the head", async () => {
    const files = [
      { filename: "policies/gate.toml", status: "added" },
      { filename: "policies/gate.toml", status: "deleted" },
    ] as ChangedFile[];
    const reader = readerOf(async () => files, async () => {
      throw new ForgejoError("http", "not found", 404);
    });
    expect(await fetchPolicyChanges(reader, pull, GLOBS)).toEqual([]);
  });
});

describe("a failure that is not Forgejo's", () => {
  it("while listing the changed files is thrown, not dressed as an unreadable what-if", async () => {
    const bug = new TypeError("cannot read properties of undefined");
    const reader = readerOf(async () => {
      throw bug;
    }, async () => new Uint8Array());
    await expect(fetchPolicyChanges(reader, pull, GLOBS)).rejects.toBe(bug);
    const push: PushJob = { trigger: "push", repo: "o/r", ref: "refs/heads/main", before: "b".repeat(40), after: HEAD, sender: "root", files: [], policyFiles: [], truncated: true };
    await expect(fetchPolicyChanges(reader, push, GLOBS)).rejects.toBe(bug);
  });

  it("while reading a policy file is thrown too", async () => {
    const bug = new RangeError("offset out of range");
    const reader = readerOf(async () => [{ filename: "policies/gate.toml", status: "modified" }] as ChangedFile[], async () => {
      throw bug;
    });
    await expect(fetchPolicyChanges(reader, pull, GLOBS)).rejects.toBe(bug);
  });
});

import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONTRACTS } from "../helpers/forgejo-contract.js";
import { fixture } from "../helpers/paths.js";

// The recorded real responses the client's schemas are modelled on must themselves fit Forgejo's description.
const RECORDED: Record<string, [string, string]> = {
  "forgejo-11dev_code.forgejo.org_GET_version.json": ["GET", "/api/v1/version"],
  "gitea-1.23dev_GET_version.json": ["GET", "/api/v1/version"],
  "gitea-1.23dev_GET_repos_gitea_test_repo_issues_4_comments.json": ["GET", "/api/v1/repos/gitea/test_repo/issues/4/comments"],
  "gitea-1.23dev_GET_repos_gitea_test_repo_issues_page1.json": ["GET", "/api/v1/repos/gitea/test_repo/issues"],
  "gitea-1.23dev_GET_repos_gitea_test_repo_labels.json": ["GET", "/api/v1/repos/gitea/test_repo/labels"],
  "gitea-1.23dev_GET_repos_gitea_test_repo_pulls_page1.json": ["GET", "/api/v1/repos/gitea/test_repo/pulls"],
  "forgejo-11dev_code.forgejo.org_GET_repos_Gusted_agit-test_pulls.json": ["GET", "/api/v1/repos/Gusted/agit-test/pulls"],
  "gitea-1.23dev_GET_repos_gitea_test_repo.json": ["GET", "/api/v1/repos/gitea/test_repo"],
};

describe("recorded Forgejo API responses fit Forgejo's API description", () => {
  const files = readdirSync(fixture("forgejo/api-responses"));
  it("covers every recorded response", () => expect(files.sort()).toEqual(Object.keys(RECORDED).sort()));
  for (const file of files) {
    it(file, () => {
      const [method, path] = RECORDED[file]!;
      const body = JSON.parse(readFileSync(fixture(`forgejo/api-responses/${file}`), "utf8")) as unknown;
      for (const contract of CONTRACTS) expect(contract.checkResponse(method, path, 200, body)).toEqual([]);
    });
  }

  it("catches a response that breaks the description (the checker is not vacuous)", () => {
    const problems = CONTRACTS[0]!.checkResponse("GET", "/api/v1/repos/o/r/issues/4/comments", 200, [{ id: "not-a-number", body: 5 }]);
    expect(problems.length).toBeGreaterThan(0);
    expect(CONTRACTS[0]!.checkRequest("GET", new URL("http://x/api/v1/repos/o/r/issues/four"), undefined)).toEqual([expect.stringMatching(/must be an integer/)]);
    expect(CONTRACTS[0]!.checkRequest("GET", new URL("http://x/api/v1/repos/o/r/issues/4/comments?bogus=1"), undefined)).toEqual([expect.stringMatching(/no query parameter `bogus`/)]);
  });
});

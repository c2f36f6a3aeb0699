import { describe, expect, it } from "vitest";
import { CONTRACTS } from "../helpers/forgejo-contract.js";

// Neither description marks a body parameter `required`, so a write sent with no JSON body at all
// skipped every body check; Forgejo binds it as `{}` and refuses it (422) for lacking `body` or `state`.
const url = (path: string) => new URL(`http://forgejo.test/api/v1${path}`);
const SHA = "ef98532add3b2feb7a137426bba1248724367df5";

describe("the contract refuses a write sent without its JSON body", () => {
  it("POST /issues/{index}/comments with no body: needs one, and `body` is required", () => {
    for (const contract of CONTRACTS) {
      const operation = "POST /repos/{owner}/{repo}/issues/{index}/comments";
      expect(contract.checkRequest("POST", url("/repos/o/r/issues/3/comments"), undefined)).toEqual([
        `${contract.label}: ${operation} needs a JSON body`,
        `${contract.label}: ${operation} body: (root) must have required property 'body'`,
      ]);
    }
  });

  it("POST /statuses/{sha} with no body: needs one, and `state` is required", () => {
    for (const contract of CONTRACTS) {
      const operation = "POST /repos/{owner}/{repo}/statuses/{sha}";
      expect(contract.checkRequest("POST", url(`/repos/o/r/statuses/${SHA}`), undefined)).toEqual([
        `${contract.label}: ${operation} needs a JSON body`,
        `${contract.label}: ${operation} body: (root) must have required property 'state'`,
      ]);
    }
  });

  it("a GET still needs no body", () => {
    for (const contract of CONTRACTS) expect(contract.checkRequest("GET", url("/repos/o/r/issues/3/comments"), undefined)).toEqual([]);
  });
});

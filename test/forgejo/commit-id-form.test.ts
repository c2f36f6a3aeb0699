import { describe, expect, it } from "vitest";
import { isCommitId, isZeroCommit } from "../../src/forgejo/commit-id.js";

// Forgejo writes commit ids as 40 or 64 lowercase hex digits; anything else is not read as a commit
// (a file read at a ref that is not a commit id may be another branch's file).
describe("what counts as a full commit id", () => {
  it("lowercase only: the same digits in capitals are not Forgejo's form", () => {
    expect(isCommitId("ef98532add3b2feb7a137426bba1248724367df5")).toBe(true);
    expect(isCommitId("EF98532ADD3B2FEB7A137426BBA1248724367DF5")).toBe(false);
    expect(isCommitId(`${"a".repeat(39)}A`)).toBe(false);
    expect(isCommitId(`${"b".repeat(63)}B`)).toBe(false);
  });

  it("only a string: a list or a number holding the digits is not a commit id", () => {
    expect(isCommitId(["a".repeat(40)])).toBe(false);
    expect(isCommitId({ toString: () => "a".repeat(40) })).toBe(false);
    expect(isCommitId(1e40)).toBe(false);
    expect(isCommitId(undefined)).toBe(false);
    expect(isCommitId(null)).toBe(false);
  });
});

describe("the all-zero id (a ref created or deleted)", () => {
  it("is zeros from the first digit to the last: a real id ending in zeros is not it", () => {
    expect(isZeroCommit(`1${"0".repeat(39)}`)).toBe(false);
    expect(isZeroCommit(`abc${"0".repeat(61)}`)).toBe(false);
    expect(isZeroCommit(`${"0".repeat(20)}1${"0".repeat(19)}`)).toBe(false);
  });

  it("an empty id is not the all-zero id", () => {
    expect(isZeroCommit("")).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { isCommitId, isZeroCommit } from "../../src/forgejo/commit-id.js";

describe("a full commit id", () => {
  it("is 40 or 64 lowercase hex digits, and no length between", () => {
    expect(isCommitId("a".repeat(40))).toBe(true);
    expect(isCommitId("a".repeat(64))).toBe(true);
    for (const n of [39, 41, 52, 63, 65]) expect(isCommitId("a".repeat(n)), `${n} digits`).toBe(false);
  });

  it("the all-zero id is a zero commit in either length; one other digit makes it not", () => {
    expect(isZeroCommit("0".repeat(40))).toBe(true);
    expect(isZeroCommit("0".repeat(64))).toBe(true);
    expect(isZeroCommit(`${"0".repeat(39)}1`)).toBe(false);
  });
});

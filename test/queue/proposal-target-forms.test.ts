import { describe, expect, it } from "vitest";
import { describeTarget, parseProposalTarget, targetKey } from "../../src/queue/proposal-target.js";

const SHA1 = "ef98532add3b2feb7a137426bba1248724367df5";
const SHA256 = "0123456789abcdef".repeat(4);

function problemOf(text: string): string {
  const parsed = parseProposalTarget(text);
  if (parsed.ok) throw new Error(`\`${text}\` was read as a target`);
  return parsed.problem;
}

describe("a proposal target as the operator writes it", () => {
  it("reads an issue or pull request number of 1 to 10 digits", () => {
    expect(parseProposalTarget("iskra/ops#1")).toEqual({ ok: true, target: { repo: "iskra/ops", kind: "issue", number: 1 } });
    expect(parseProposalTarget("iskra/ops#9999999999")).toEqual({ ok: true, target: { repo: "iskra/ops", kind: "issue", number: 9999999999 } });
  });

  it("refuses issue number 0, a leading zero, and a number of more than 10 digits", () => {
    const rest = "; write `owner/name#N` for an issue or pull request, or `owner/name@SHA` for a commit";
    expect(problemOf("iskra/ops#0")).toBe(`\`iskra/ops#0\` is not a target${rest}`);
    expect(problemOf("iskra/ops#07")).toBe(`\`iskra/ops#07\` is not a target${rest}`);
    expect(problemOf("iskra/ops#12345678901")).toBe(`\`iskra/ops#12345678901\` is not a target${rest}`);
  });

  it("reads a full SHA-1 or SHA-256 commit id, and nothing between", () => {
    expect(parseProposalTarget(`iskra/ops@${SHA1}`)).toEqual({ ok: true, target: { repo: "iskra/ops", kind: "commit", sha: SHA1 } });
    expect(parseProposalTarget(`iskra/ops@${SHA256}`)).toEqual({ ok: true, target: { repo: "iskra/ops", kind: "commit", sha: SHA256 } });
    const between = `iskra/ops@${SHA1}abcdef`;
    expect(problemOf(between)).toBe(
      `\`${between}\` is not a target (a commit is named by its full lowercase id, 40 or 64 hex digits); write \`owner/name#N\` for an issue or pull request, or \`owner/name@SHA\` for a commit`,
    );
  });

  it("refuses an uppercase commit id, with the hint to write it in lowercase", () => {
    expect(problemOf(`iskra/ops@${SHA1.toUpperCase()}`)).toContain("(a commit is named by its full lowercase id, 40 or 64 hex digits)");
  });

  it("refuses a repository of more than two parts, or with characters Forgejo names do not use", () => {
    for (const text of ["iskra/ops/extra#3", "iskra#3", "/ops#3", "iskra/ops #3", "iskra/o%2fps#3", `iskra/ops/x@${SHA1}`]) {
      expect(parseProposalTarget(text).ok, text).toBe(false);
    }
  });

  it("says what was written in backticks, and an empty target as such", () => {
    expect(problemOf("")).toBe("an empty target is not a target; write `owner/name#N` for an issue or pull request, or `owner/name@SHA` for a commit");
    expect(problemOf("iskra/ops")).toMatch(/^`iskra\/ops` is not a target; /);
  });
});

describe("a target described and keyed", () => {
  it("describes a commit by its first 12 hex digits, but keys it by the full id", () => {
    const target = { repo: "iskra/ops", kind: "commit", sha: SHA1 } as const;
    expect(describeTarget(target)).toBe("iskra/ops@ef98532add3b");
    expect(targetKey(target)).toBe(`iskra/ops@${SHA1}`);
    expect(describeTarget({ repo: "iskra/ops", kind: "pull", number: 12 })).toBe("iskra/ops#12");
  });
});

import { describe, expect, it } from "vitest";
import { describeJob } from "../../src/forgejo/jobs.js";

const AFTER = "0123456789abcdef0123456789abcdef01234567";

describe("a job as the logs describe it", () => {
  it("names the trigger, the repository and the issue of a label or a command", () => {
    expect(describeJob({ trigger: "label", repo: "o/r", number: 7, isPull: false, sender: "root" })).toBe("label on o/r#7");
    expect(describeJob({ trigger: "command", repo: "o/r", number: 8, isPull: true, sender: "root", commentId: 3 })).toBe("command on o/r#8");
  });

  it("names a push's branch and the first 12 digits of the pushed commit", () => {
    expect(describeJob({ trigger: "push", repo: "o/r", ref: "refs/heads/main", before: "0".repeat(40), after: AFTER, sender: "root", files: [], truncated: false })).toBe("push to o/r refs/heads/main at 0123456789ab");
  });

  it("names a pull request and the first 12 digits of its head", () => {
    expect(describeJob({ trigger: "pull_request", repo: "o/r", number: 9, headSha: AFTER, sender: "root" })).toBe("pull request o/r#9 at 0123456789ab");
  });
});

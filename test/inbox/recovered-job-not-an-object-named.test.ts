import { describe, expect, it } from "vitest";
import { checkRecoveredJob } from "../../src/inbox/recovered-job.js";

describe("checkRecoveredJob: a recorded job that is not an object at all", () => {
  it("names the job as a whole as the problem, in lower case, rather than an empty field name", () => {
    for (const job of [null, "label", 3, []]) {
      const checked = checkRecoveredJob(job);
      expect(checked.ok).toBe(false);
      if (checked.ok) continue;
      expect(checked.problem).toMatch(/^`\(job\)`: /);
      expect(checked.problem).toBe(checked.problem.toLowerCase());
    }
  });
});

describe("checkRecoveredJob: a push job without its list of changed files", () => {
  it("is refused, naming `files`, since the evaluation reads that list", () => {
    const push = { trigger: "push", repo: "root/example", ref: "refs/heads/main", before: "a".repeat(40), after: "b".repeat(40), sender: "root", truncated: false };
    expect(checkRecoveredJob(push)).toMatchObject({ ok: false, problem: expect.stringMatching(/^`files`: /) });
    expect(checkRecoveredJob({ ...push, files: ["evidence/x.json"] })).toEqual({ ok: true, job: { ...push, files: ["evidence/x.json"] } });
  });
});

import { describe, expect, it } from "vitest";
import { classifyDelivery } from "../../src/forgejo/classify-delivery.js";
import { checkRecoveredJob } from "../../src/inbox/recovered-job.js";
import { payloadValue, REPO } from "../helpers/server-harness.js";
import { triggerRules } from "./trigger-rules.js";

const rules = triggerRules();

async function real(file: string, edit: (p: Record<string, any>) => void): Promise<Record<string, any>> {
  const p = await payloadValue(file);
  p.repository.full_name = REPO;
  p.sender.login = "root";
  edit(p);
  return p;
}

const pullSync = (edit: (p: Record<string, any>) => void) => real("real/forgejo-codeberg-HookPullRequestUpdated.json", edit);
const pullHeaders = { delivery: "d", event: "pull_request", eventType: "pull_request_sync", signature: undefined };
const pushHeaders = { delivery: "d", event: "push", eventType: "push", signature: undefined };
const pushWith = (edit: (p: Record<string, any>) => void) =>
  real("real/forgejo-push-fixture.json", (p) => {
    p.ref = "refs/heads/main";
    p.after = "a".repeat(40);
    p.commits = [{ id: p.after, added: ["evidence/x.bundle.json"], modified: [], removed: [] }];
    edit(p);
  });

// Forgejo's ToAPIPullRequest leaves head.sha "" when it cannot resolve the head (e.g. a reopened
// pull request whose fork branch is gone). Read with `ref=` (empty), Forgejo's media endpoint serves
// the DEFAULT BRANCH's file: the pull request would be judged on other bytes than its own.
describe("a pull-request delivery whose head commit is not named", () => {
  it("is ignored, the field named first, with what to do", async () => {
    expect(classifyDelivery(pullHeaders, await pullSync((p) => (p.pull_request.head.sha = "")), rules)).toEqual({
      kind: "ignored",
      reason: "`pull_request.head.sha` is empty, not a commit id (40 or 64 hex digits): Forgejo could not name the pull request's head commit (its head branch may be gone); push to the pull request's branch again",
    });
  });

  it("names a value that is not a commit id, quoted", async () => {
    for (const sha of ["abc123", "g".repeat(40), "A".repeat(40), `${"a".repeat(40)}\n`]) {
      expect(classifyDelivery(pullHeaders, await pullSync((p) => (p.pull_request.head.sha = sha)), rules)).toMatchObject({ kind: "ignored", reason: expect.stringMatching(/^`pull_request\.head\.sha` is `[^`\n]*`, not a commit id/) });
    }
  });

  it("takes a SHA-256 repository's 64-digit id", async () => {
    const sha = "e".repeat(64);
    expect(classifyDelivery(pullHeaders, await pullSync((p) => (p.pull_request.head.sha = sha)), rules)).toMatchObject({ kind: "job", job: { trigger: "pull_request", headSha: sha } });
  });

  it("that is no trigger anyway is ignored for what it is, not for its head", async () => {
    const closed = await pullSync((p) => {
      p.action = "closed";
      p.pull_request.head.sha = "";
    });
    expect(classifyDelivery({ ...pullHeaders, eventType: "pull_request" }, closed, rules)).toMatchObject({ kind: "ignored", reason: expect.stringContaining("pull request action `closed` is not a trigger") });
  });

  it("asking by label still runs (attachments need no head), and the job names no head", async () => {
    const labelled = await real("real/forgejo-codeberg-HookPullRequestLabelAdded.json", (p) => {
      p.action = "label_updated";
      p.pull_request.labels = [{ name: "gate/review" }];
      p.pull_request.head.sha = "";
    });
    const result = classifyDelivery({ ...pullHeaders, eventType: "pull_request_label" }, labelled, rules);
    expect(result).toMatchObject({ kind: "job", job: { trigger: "label", isPull: true } });
    expect(result.kind === "job" && "headSha" in result.job).toBe(false);
  });
});

describe("a push delivery that names no commit", () => {
  it("with an empty `after` is ignored, not read at `ref=`", async () => {
    expect(classifyDelivery(pushHeaders, await pushWith((p) => (p.after = "")), rules)).toEqual({
      kind: "ignored",
      reason: "`after` is empty, not a commit id (40 or 64 hex digits): Forgejo names the pushed commit here, and the files are read at it; push again",
    });
  });

  it("with a `before` that is not one is ignored too (a long push compares from it)", async () => {
    expect(classifyDelivery(pushHeaders, await pushWith((p) => (p.before = "HEAD~1")), rules)).toMatchObject({ kind: "ignored", reason: expect.stringMatching(/^`before` is `HEAD~1`, not a commit id/) });
  });

  it("with a zero `after` is still a deletion, in either length", async () => {
    for (const after of ["0".repeat(40), "0".repeat(64)]) {
      expect(classifyDelivery(pushHeaders, await pushWith((p) => (p.after = after)), rules)).toMatchObject({ kind: "ignored", reason: "the push deleted the ref; nothing to evaluate" });
    }
  });
});

describe("a recovered job naming no commit to read at is refused (an older version may have written one)", () => {
  it("a pull request job with an empty head", () => {
    expect(checkRecoveredJob({ trigger: "pull_request", repo: REPO, number: 4, headSha: "", sender: "root" })).toEqual({ ok: false, problem: "`headSha`: not a commit id (40 or 64 hex digits)" });
  });

  it("a push job with an empty `after` or a `before` that is no commit", () => {
    const push = { trigger: "push", repo: REPO, ref: "refs/heads/main", before: "b".repeat(40), after: "a".repeat(40), sender: "root", files: [], truncated: true };
    expect(checkRecoveredJob(push)).toMatchObject({ ok: true });
    expect(checkRecoveredJob({ ...push, after: "" })).toEqual({ ok: false, problem: "`after`: not a commit id (40 or 64 hex digits)" });
    expect(checkRecoveredJob({ ...push, before: "main" })).toEqual({ ok: false, problem: "`before`: not a commit id (40 or 64 hex digits)" });
  });

  it("a label or command job: without a head (older versions) it runs; with one that is no commit it is refused", () => {
    const command = { trigger: "command", repo: REPO, number: 3, isPull: true, sender: "root", commentId: 9 } as const;
    expect(checkRecoveredJob(command)).toEqual({ ok: true, job: command });
    expect(checkRecoveredJob({ ...command, headSha: "c".repeat(40) })).toEqual({ ok: true, job: { ...command, headSha: "c".repeat(40) } });
    expect(checkRecoveredJob({ ...command, headSha: "" })).toEqual({ ok: false, problem: "`headSha`: not a commit id (40 or 64 hex digits)" });
  });
});

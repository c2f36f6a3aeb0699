import { describe, expect, it } from "vitest";
import { classifyDelivery, type TriggerRules } from "../../src/forgejo/classify-delivery.js";
import { payloadValue } from "../helpers/server-harness.js";

const REPO = "o/r";
const AFTER = "a".repeat(40);
const rules: TriggerRules = { repos: new Set([REPO]), operators: new Set(["root"]), producers: new Set(["iskra-bot"]), gateLabel: "gate/review", evidenceGlobs: ["evidence/**/*.json"], policyGlobs: [] };
const pushHeaders = { delivery: "d-push", event: "push", eventType: "push", signature: undefined };
const push = (over: Record<string, unknown>) => ({ ref: "refs/heads/main", before: "b".repeat(40), after: AFTER, repository: { full_name: REPO }, sender: { login: "iskra-bot" }, ...over });

describe("fields Forgejo may send as null", () => {
  it("a push whose `commits` is null takes the pushed commit's files from head_commit", () => {
    const p = push({ commits: null, total_commits: 0, head_commit: { id: AFTER, added: ["evidence/run.json"], modified: [], removed: [] } });
    expect(classifyDelivery(pushHeaders, p, rules)).toMatchObject({ kind: "job", job: { files: ["evidence/run.json"], truncated: false } });
  });

  it("a branch deletion with a null head_commit is ignored as a deletion, not as a malformed payload", () => {
    const p = push({ after: "0".repeat(40), commits: [], total_commits: 0, head_commit: null });
    expect(classifyDelivery(pushHeaders, p, rules)).toEqual({ kind: "ignored", reason: "the push deleted the ref; nothing to evaluate" });
  });

  it("a commit whose `added` list is null still counts its modified files", () => {
    const p = push({ commits: [{ id: AFTER, added: null, modified: ["evidence/run.json"], removed: null }], total_commits: 1 });
    expect(classifyDelivery(pushHeaders, p, rules)).toMatchObject({ kind: "job", job: { files: ["evidence/run.json"] } });
  });

  it("a pull request label whose head sha is null still asks for a check, naming no head", async () => {
    const p = await payloadValue("real/forgejo-codeberg-HookPullRequestLabelsUpdated.json");
    p.repository.full_name = REPO;
    p.sender.login = "root";
    p.pull_request.labels = [{ name: "gate/review" }];
    p.pull_request.head.sha = null;
    const result = classifyDelivery({ delivery: "d", event: "pull_request", eventType: "pull_request_label", signature: undefined }, p, rules);
    expect(result).toEqual({ kind: "job", job: { trigger: "label", repo: REPO, number: p.number, isPull: true, sender: "root" } });
  });
});

describe("an issue number that names no issue", () => {
  it("a label delivery for issue 0 is ignored, naming the field", async () => {
    const p = await payloadValue("synthesized/issues__label_updated.json");
    p.repository.full_name = REPO;
    p.issue.number = 0;
    const result = classifyDelivery({ delivery: "d", event: "issues", eventType: "issue_label", signature: undefined }, p, rules);
    expect(result).toMatchObject({ kind: "ignored", reason: expect.stringContaining("`issue.number`") });
  });
});

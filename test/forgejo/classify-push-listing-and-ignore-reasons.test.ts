import { describe, expect, it } from "vitest";
import { classifyDelivery, type TriggerRules } from "../../src/forgejo/classify-delivery.js";
import { payloadValue } from "../helpers/server-harness.js";
import { triggerRules } from "./trigger-rules.js";

const REPO = "o/r";
const AFTER = "a".repeat(40);
const BEFORE = "b".repeat(40);
const OLDER = "c".repeat(40);
const rules = (over: Partial<TriggerRules> = {}): TriggerRules => triggerRules({ repos: new Set([REPO]), policyGlobs: ["policies/**/*.toml"], ...over });
const pushHeaders = { delivery: "d-push", event: "push", eventType: "push", signature: undefined };
type Commit = { id: string; added?: string[]; modified?: string[]; removed?: string[] };
const push = (commits: Commit[], over: Record<string, unknown> = {}) => ({
  ref: "refs/heads/main",
  before: BEFORE,
  after: AFTER,
  commits: commits.map((c) => ({ added: [], modified: [], removed: [], ...c })),
  total_commits: commits.length,
  repository: { full_name: REPO },
  sender: { login: "iskra-bot" },
  ...over,
});

describe("a push's listing of what it changed", () => {
  it("is complete when it lists as many commits as the push made, and truncated when it lists fewer", () => {
    const commits = [{ id: AFTER, added: ["evidence/run.json"] }];
    expect(classifyDelivery(pushHeaders, push(commits), rules())).toMatchObject({ kind: "job", job: { files: ["evidence/run.json"], truncated: false } });
    expect(classifyDelivery(pushHeaders, push(commits, { total_commits: 2 }), rules())).toMatchObject({ kind: "job", job: { files: ["evidence/run.json"], truncated: true } });
    // Without a count, the listed commits are taken as all of them.
    expect(classifyDelivery(pushHeaders, push(commits, { total_commits: null }), rules())).toMatchObject({ kind: "job", job: { truncated: false } });
  });

  it("a push of more commits than listed asks for a check even when the listed ones touch no evidence", () => {
    const result = classifyDelivery(pushHeaders, push([{ id: AFTER, modified: ["README.md"] }], { total_commits: 21 }), rules());
    expect(result).toMatchObject({ kind: "job", job: { files: [], policyFiles: [], truncated: true } });
  });

  it("counts a modified file as changed, not only an added one", () => {
    const result = classifyDelivery(pushHeaders, push([{ id: AFTER, modified: ["evidence/run.json"] }]), rules());
    expect(result).toMatchObject({ kind: "job", job: { files: ["evidence/run.json"], policyFiles: [] } });
  });

  it("lists files in path order whatever order the commits name them in", () => {
    const result = classifyDelivery(pushHeaders, push([{ id: AFTER, added: ["evidence/z.json", "evidence/a.json", "evidence/m/b.json"] }]), rules());
    expect(result).toMatchObject({ kind: "job", job: { files: ["evidence/a.json", "evidence/m/b.json", "evidence/z.json"] } });
  });

  it("sorts evidence and policy files apart, each by its own globs", () => {
    const result = classifyDelivery(pushHeaders, push([{ id: AFTER, added: ["evidence/run.json", "policies/gate.toml", "notes.md"] }]), rules());
    expect(result).toMatchObject({ kind: "job", job: { files: ["evidence/run.json"], policyFiles: ["policies/gate.toml"] } });
  });

  it("a pushed commit listed among the commits needs no head_commit to be complete", () => {
    const result = classifyDelivery(pushHeaders, push([{ id: OLDER, added: ["evidence/old.json"] }, { id: AFTER, added: ["evidence/run.json"] }], { head_commit: null }), rules());
    expect(result).toMatchObject({ kind: "job", job: { files: ["evidence/old.json", "evidence/run.json"], truncated: false } });
  });

  it("a push touching no evidence names only the evidence globs when no policy globs are set", () => {
    const result = classifyDelivery(pushHeaders, push([{ id: AFTER, modified: ["README.md"] }]), rules({ policyGlobs: [] }));
    expect(result).toEqual({ kind: "ignored", reason: "no added or modified file matches the evidence globs (evidence/**/*.json)" });
    const withPolicies = classifyDelivery(pushHeaders, push([{ id: AFTER, modified: ["README.md"] }]), rules());
    expect(withPolicies).toEqual({ kind: "ignored", reason: "no added or modified file matches the evidence globs (evidence/**/*.json) or the policy globs (policies/**/*.toml)" });
  });
});

describe("why a delivery that asks for nothing is ignored", () => {
  it("an issues event that is not a label change names its exact event type", async () => {
    const p = await payloadValue("synthesized/issues__label_updated.json");
    p.repository.full_name = REPO;
    p.action = "opened";
    expect(classifyDelivery({ delivery: "d", event: "issues", eventType: "issues", signature: undefined }, p, rules())).toEqual({ kind: "ignored", reason: "issues event of type `issues` is not a trigger" });
    expect(classifyDelivery({ delivery: "d", event: "issues", eventType: "issue_assign", signature: undefined }, p, rules())).toEqual({ kind: "ignored", reason: "issues event of type `issue_assign` is not a trigger" });
  });

  it("a delivery without an event header says `(none)`", () => {
    expect(classifyDelivery({ delivery: "d", event: undefined, eventType: undefined, signature: undefined }, {}, rules())).toEqual({
      kind: "ignored",
      reason: "event `(none)` is not a trigger; subscribe the hook to issues, issue comments, pull requests and pushes only",
    });
  });

  it("a payload that is not an object names the root as what is missing", () => {
    const result = classifyDelivery(pushHeaders, null, rules());
    expect(result).toMatchObject({ kind: "ignored", reason: expect.stringMatching(/^the payload lacks what this event should carry \(`\(root\)`: /) });
  });

  it("a missing field is named with the validator's words in lower case", () => {
    const { repository: _, ...p } = push([{ id: AFTER, added: ["evidence/run.json"] }]);
    const result = classifyDelivery(pushHeaders, p, rules());
    expect(result).toMatchObject({ kind: "ignored", reason: expect.stringMatching(/^the payload lacks what this event should carry \(`repository`: [^A-Z]+\)$/) });
  });

  it("a `before` that is not a commit id is named, quoted, with what to do", () => {
    const result = classifyDelivery(pushHeaders, push([{ id: AFTER, added: ["evidence/run.json"] }], { before: "main" }), rules());
    expect(result).toEqual({
      kind: "ignored",
      reason: "`before` is `main`, not a commit id (40 or 64 hex digits): Forgejo names the commit the branch was at here (all zeros for a new branch); push again",
    });
  });
});

describe("a pull request delivery", () => {
  it("a synchronized pull request from an evidence producer asks for a check at its head", async () => {
    const p = await payloadValue("real/forgejo-codeberg-HookPullRequestUpdated.json");
    p.repository.full_name = REPO;
    p.sender.login = "iskra-bot";
    expect(p.action).toBe("synchronized");
    expect(classifyDelivery({ delivery: "d", event: "pull_request", eventType: "pull_request_sync", signature: undefined }, p, rules())).toEqual({
      kind: "job",
      job: { trigger: "pull_request", repo: REPO, number: p.number, headSha: p.pull_request.head.sha, sender: "iskra-bot" },
    });
  });

  it("one from someone neither operator nor producer is ignored, saying so", async () => {
    const p = await payloadValue("real/forgejo-codeberg-HookPullRequestUpdated.json");
    p.repository.full_name = REPO;
    expect(classifyDelivery({ delivery: "d", event: "pull_request", eventType: "pull_request_sync", signature: undefined }, p, rules())).toEqual({
      kind: "ignored",
      reason: `\`${p.sender.login}\` is neither an operator nor an evidence producer (PATCHWARDEN_PRODUCERS)`,
    });
  });

  it("an operator's gate label on a pull request carries the head commit the delivery names", async () => {
    const p = await payloadValue("real/forgejo-codeberg-HookPullRequestLabelsUpdated.json");
    p.repository.full_name = REPO;
    p.sender.login = "root";
    p.pull_request.labels = [{ name: "gate/review" }];
    const result = classifyDelivery({ delivery: "d", event: "pull_request", eventType: "pull_request_label", signature: undefined }, p, rules());
    expect(result).toEqual({ kind: "job", job: { trigger: "label", repo: REPO, number: p.number, isPull: true, sender: "root", headSha: p.pull_request.head.sha } });
  });
});

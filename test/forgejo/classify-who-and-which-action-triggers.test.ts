import { describe, expect, it } from "vitest";
import { classifyDelivery } from "../../src/forgejo/classify-delivery.js";
import { payloadValue } from "../helpers/server-harness.js";
import { triggerRules } from "./trigger-rules.js";

const REPO = "root/example-push";
const issueLabel = { delivery: "d-label", event: "issues", eventType: "issue_label", signature: undefined };
const command = { delivery: "d-command", event: "issue_comment", eventType: "issue_comment", signature: undefined };
const pullCommand = { delivery: "d-pull-command", event: "issue_comment", eventType: "pull_request_comment", signature: undefined };
const pullHeaders = { delivery: "d-pull", event: "pull_request", eventType: "pull_request", signature: undefined };

async function edited(file: string, edit: (p: Record<string, any>) => void): Promise<Record<string, any>> {
  const p = await payloadValue(file);
  p.repository.full_name = REPO;
  edit(p);
  return p;
}

describe("a gate label asks for a check only from an operator, and only as written", () => {
  it("an evidence producer's label is ignored, saying it is not an operator's", async () => {
    const p = await edited("synthesized/issues__label_updated.json", (c) => (c.sender.login = "iskra-bot"));
    expect(classifyDelivery(issueLabel, p, triggerRules())).toEqual({
      kind: "ignored",
      reason: "`iskra-bot` is not an operator (PATCHWARDEN_OPERATORS); only an operator's label asks for a gate check",
    });
  });

  it("a label that differs from the gate label only in case is not the gate label", async () => {
    const p = await edited("synthesized/issues__label_updated.json", (c) => (c.issue.labels = [{ name: "Gate/Review" }]));
    expect(classifyDelivery(issueLabel, p, triggerRules())).toEqual({ kind: "ignored", reason: "the gate label `gate/review` is not on it" });
  });

  it("an issues-event label on an issue that is a pull request makes a pull request job", async () => {
    const pull = await edited("synthesized/issues__label_updated.json", (c) => (c.issue.pull_request = { merged: false, html_url: "http://forgejo.test/root/example-push/pulls/1" }));
    expect(classifyDelivery(issueLabel, pull, triggerRules())).toMatchObject({ kind: "job", job: { trigger: "label", isPull: true } });
    const plain = await edited("synthesized/issues__label_updated.json", (c) => (c.issue.pull_request = null));
    expect(classifyDelivery(issueLabel, plain, triggerRules())).toMatchObject({ kind: "job", job: { trigger: "label", isPull: false } });
  });
});

describe("a `/patchwarden check` comment asks for a check only when it is created", () => {
  it("an edited or deleted comment holding the command is ignored, naming the action", async () => {
    for (const action of ["edited", "deleted"]) {
      const p = await edited("synthesized/issue_comment__created.json", (c) => {
        c.action = action;
        c.comment.body = "/patchwarden check";
      });
      expect(classifyDelivery(command, p, triggerRules()), action).toEqual({ kind: "ignored", reason: `comment action \`${action}\` is not a trigger` });
    }
  });

  it("on a pull request, the job carries the head commit the delivery names", async () => {
    const p = await edited("synthesized/pull_request_comment__created.json", (c) => (c.comment.body = "/patchwarden check"));
    const sha = p.pull_request.head.sha as string;
    expect(classifyDelivery(pullCommand, p, triggerRules())).toMatchObject({ kind: "job", job: { trigger: "command", isPull: true, headSha: sha } });
  });

  it("on a plain issue, a head commit somewhere in the payload is not taken", async () => {
    const p = await edited("synthesized/pull_request_comment__created.json", (c) => {
      c.comment.body = "/patchwarden check";
      c.issue.pull_request = null;
    });
    const result = classifyDelivery(command, p, triggerRules());
    expect(result).toMatchObject({ kind: "job", job: { trigger: "command", isPull: false } });
    expect(result.kind === "job" && "headSha" in result.job).toBe(false);
  });

  it("a head that is not a full commit id is left out, so the head is asked of Forgejo rather than read at it", async () => {
    for (const sha of ["feature/changes", "0d1a26e", "A".repeat(40)]) {
      const p = await edited("synthesized/pull_request_comment__created.json", (c) => {
        c.comment.body = "/patchwarden check";
        c.pull_request.head.sha = sha;
      });
      const result = classifyDelivery(pullCommand, p, triggerRules());
      expect(result, sha).toMatchObject({ kind: "job", job: { trigger: "command", isPull: true } });
      expect(result.kind === "job" && "headSha" in result.job, sha).toBe(false);
    }
  });
});

describe("a pull request delivery asks for a check when opened, reopened or synchronized", () => {
  it("a reopened pull request by an operator asks for a check at its head", async () => {
    const p = await edited("real/forgejo-codeberg-HookPullRequestReopened.json", (c) => (c.sender.login = "root"));
    expect(p.action).toBe("reopened");
    expect(classifyDelivery(pullHeaders, p, triggerRules())).toMatchObject({ kind: "job", job: { trigger: "pull_request", headSha: p.pull_request.head.sha } });
  });

  it("a closed one is ignored, listing the actions that are triggers", async () => {
    const p = await edited("real/forgejo-codeberg-HookPullRequestClosed.json", (c) => (c.sender.login = "root"));
    expect(classifyDelivery(pullHeaders, p, triggerRules())).toEqual({ kind: "ignored", reason: `pull request action \`${p.action}\` is not a trigger (opened, reopened and synchronized are)` });
  });
});

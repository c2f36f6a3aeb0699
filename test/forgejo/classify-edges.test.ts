import { describe, expect, it } from "vitest";
import { classifyDelivery } from "../../src/forgejo/classify-delivery.js";
import { payloadValue, REPO } from "../helpers/server-harness.js";
import { triggerRules } from "./trigger-rules.js";

// Who may ask for a check by comment or by push, and on which repository: each refusal beside its baseline.
const command = { delivery: "d-command", event: "issue_comment", eventType: "issue_comment", signature: undefined };
const push = { delivery: "d-push", event: "push", eventType: "push", signature: undefined };

async function checkComment(edit: (p: Record<string, any>) => void = () => {}): Promise<Record<string, any>> {
  const p = await payloadValue("synthesized/issue_comment__created.json");
  p.comment.body = "/patchwarden check";
  edit(p);
  return p;
}

async function evidencePush(edit: (p: Record<string, any>) => void = () => {}): Promise<Record<string, any>> {
  const p = await payloadValue("real/forgejo-push-fixture.json");
  p.repository.full_name = REPO;
  p.sender.login = "iskra-bot";
  p.commits[0].added = ["evidence/run.bundle.json"];
  if (p.head_commit) p.head_commit.added = ["evidence/run.bundle.json"];
  edit(p);
  return p;
}

describe("classifyDelivery: a `/patchwarden check` comment", () => {
  it("baseline: an operator's command on an allowed repository asks for a check", async () => {
    expect(classifyDelivery(command, await checkComment(), triggerRules())).toMatchObject({ kind: "job", job: { trigger: "command" } });
  });

  it("is ignored when the repository is not in PATCHWARDEN_REPOS", async () => {
    const p = await checkComment((c) => (c.repository.full_name = "someone/elsewhere"));
    expect(classifyDelivery(command, p, triggerRules())).toMatchObject({ kind: "ignored", reason: expect.stringMatching(/is not allowed/) });
  });

  it("is ignored when the commenter is not an operator", async () => {
    const p = await checkComment((c) => (c.sender.login = "mallory"));
    expect(classifyDelivery(command, p, triggerRules())).toMatchObject({ kind: "ignored", reason: expect.stringMatching(/not an operator/) });
    // An evidence producer is not an operator either: it may carry evidence, not ask for checks.
    const bot = await checkComment((c) => (c.sender.login = "iskra-bot"));
    expect(classifyDelivery(command, bot, triggerRules())).toMatchObject({ kind: "ignored", reason: expect.stringMatching(/not an operator/) });
  });

  it("asks for nothing when the command is only quoted or part of a longer line", async () => {
    for (const body of ["> /patchwarden check", "please do not run /patchwarden check yet", "`/patchwarden check`", "/patchwarden checkout"]) {
      const p = await checkComment((c) => (c.comment.body = body));
      expect(classifyDelivery(command, p, triggerRules()), body).toMatchObject({ kind: "ignored" });
    }
  });
});

describe("classifyDelivery: a push", () => {
  it("baseline: an evidence producer's push of a bundle asks for a check", async () => {
    expect(classifyDelivery(push, await evidencePush(), triggerRules())).toMatchObject({ kind: "job", job: { trigger: "push" } });
  });

  it("is ignored when the pusher is neither an operator nor an evidence producer", async () => {
    const p = await evidencePush((c) => (c.sender.login = "mallory"));
    expect(classifyDelivery(push, p, triggerRules())).toMatchObject({ kind: "ignored", reason: expect.stringMatching(/neither an operator nor an evidence producer/) });
  });
});

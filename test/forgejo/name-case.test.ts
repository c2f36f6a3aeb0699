import { readFile } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { classifyDelivery, type TriggerRules } from "../../src/forgejo/classify-delivery.js";
import { hasName, sameName } from "../../src/forgejo/forgejo-names.js";
import { useFakeForgejo } from "../helpers/fake-forgejo.js";
import { fixture } from "../helpers/paths.js";
import { deliveryRequest, payload, payloadValue, REPO, startTestServer, type TestServer } from "../helpers/server-harness.js";
import { verdictProposals } from "../helpers/verdict-proposals.js";
import { triggerRules } from "./trigger-rules.js";

// Forgejo matches owners, repositories and logins without regard to case (lower_name: its API and
// web routes answer /Root/Example-Push as /root/example-push), and a webhook names them in the case
// the account or repository was created with. PATCHWARDEN_REPOS, _OPERATORS and _PRODUCERS written
// in another case name the same repository and accounts; an exact match ignored every delivery.
const rules = (over: Partial<TriggerRules> = {}): TriggerRules => triggerRules({ producers: new Set<string>(), ...over });
const label = { delivery: "691827e6-031a-55c4-af64-e9d6072d7f8e", event: "issues", eventType: "issue_label", signature: undefined };
const command = { delivery: "d-command", event: "issue_comment", eventType: "issue_comment", signature: undefined };
const push = { delivery: "d-push", event: "push", eventType: "push", signature: undefined };

describe("the classifier compares repositories and logins as Forgejo does, without regard to case", () => {
  it("exact case asks for a check (the delivery names root/example-push and root)", async () => {
    expect(classifyDelivery(label, await payloadValue("synthesized/issues__label_updated.json"), rules()).kind).toBe("job");
  });

  it("PATCHWARDEN_REPOS in another case (Root/Example-Push) is the same repository", async () => {
    expect(classifyDelivery(label, await payloadValue("synthesized/issues__label_updated.json"), rules({ repos: new Set(["Root/Example-Push"]) }))).toMatchObject({ kind: "job", job: { repo: "root/example-push" } });
  });

  it("an operator's login in another case is the same account, for a label and for a command", async () => {
    expect(classifyDelivery(label, await payloadValue("synthesized/issues__label_updated.json"), rules({ operators: new Set(["Root"]) }))).toMatchObject({ kind: "job", job: { sender: "root" } });
    const comment = await payloadValue("synthesized/issue_comment__created.json");
    comment.comment.body = "/patchwarden check";
    expect(classifyDelivery(command, comment, rules({ operators: new Set(["ROOT"]) }))).toMatchObject({ kind: "job", job: { trigger: "command" } });
  });

  it("a delivery naming the repository and sender in another case than configured is matched too", async () => {
    const p = await payloadValue("synthesized/issues__label_updated.json");
    p.repository.full_name = "ROOT/Example-Push";
    p.sender.login = "Root";
    // The job keeps Forgejo's own spelling: that is what the proposal's target and the API calls use.
    expect(classifyDelivery(label, p, rules())).toMatchObject({ kind: "job", job: { repo: "ROOT/Example-Push", sender: "Root" } });
  });

  it("an evidence producer in another case carries evidence in a push", async () => {
    const p = await payloadValue("real/forgejo-push-fixture.json");
    p.repository.full_name = REPO;
    p.sender.login = "iskra-bot";
    p.commits[0].added = ["evidence/run.bundle.json"];
    expect(classifyDelivery(push, p, rules({ operators: new Set(), producers: new Set(["Iskra-Bot"]) }))).toMatchObject({ kind: "job", job: { trigger: "push" } });
  });

  it("still refuses another repository, and a login that is another account", async () => {
    expect(classifyDelivery(label, await payloadValue("synthesized/issues__label_updated.json"), rules({ repos: new Set(["root/example-push2"]) }))).toMatchObject({ kind: "ignored", reason: expect.stringMatching(/is not allowed/) });
    expect(classifyDelivery(label, await payloadValue("synthesized/issues__label_updated.json"), rules({ operators: new Set(["roots"]) }))).toMatchObject({ kind: "ignored", reason: expect.stringMatching(/is not an operator/) });
  });

  it("sameName and hasName: Forgejo's lower_name comparison", () => {
    expect(sameName("Root/Example", "root/EXAMPLE")).toBe(true);
    expect(sameName("root/example", "root/example2")).toBe(false);
    expect(hasName(new Set(["Alice", "bob"]), "ALICE")).toBe(true);
    expect(hasName(new Set(["Alice", "bob"]), "carol")).toBe(false);
  });
});

describe("a delivery to a server configured in another case than Forgejo's names", () => {
  const forgejo = useFakeForgejo();
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.cleanup();
    expect(forgejo.fake.violations, "requests and responses must fit Forgejo's API description").toEqual([]);
  });

  it("is judged, and its proposal targets the repository as Forgejo names it (not 202 ignored)", async () => {
    server = await startTestServer({ PATCHWARDEN_REPOS: "Root/Example-Push", PATCHWARDEN_OPERATORS: "ROOT" }, { now: () => Date.parse("2026-11-21T12:00:00Z") });
    const issue = forgejo.fake.issue(REPO, 3, { labels: ["gate/review"] });
    forgejo.fake.attach(issue, "runtime-diagnostics.bundle.yaml", await readFile(fixture("examples/runtime-diagnostics.bundle.yaml")));
    const response = await server.app.request("/webhooks/forgejo", deliveryRequest({ event: "issues", type: "issue_label", id: "d-case", body: await payload("synthesized/issues__label_updated.json") }));
    expect(await response.json()).toMatchObject({ status: "accepted" });
    await server.worker.idle();
    expect(await verdictProposals(server.proposals)).toMatchObject([{ target: { repo: REPO, kind: "issue", number: 3 }, verdict: { verdict: "eligible_repair_dry_run" } }]);
  });
});

import { appendFile, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { VerdictProposal } from "../../src/queue/proposal.js";
import { useFakeForgejo } from "../helpers/fake-forgejo.js";
import { CONTRACTS } from "../helpers/forgejo-contract.js";
import { fixture } from "../helpers/paths.js";
import { deliveryRequest, payload, REPO, startTestServer, type TestServer } from "../helpers/server-harness.js";
import { verdictProposals } from "../helpers/verdict-proposals.js";

const forgejo = useFakeForgejo();
let server: TestServer | null = null;
let dataDir: string | null = null;
afterEach(async () => {
  await server?.cleanup();
  server = null;
  if (dataDir !== null) await rm(dataDir, { recursive: true, force: true });
  dataDir = null;
  expect(forgejo.fake.violations, "requests and responses must fit Forgejo's API description").toEqual([]);
  expect(forgejo.fake.writes(), "intake and evaluation never write to Forgejo").toEqual([]);
});

const HEAD = "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c"; // pull_request.head.sha in the synthesized pull_request_comment delivery
const NOW = Date.parse("2026-11-21T12:00:00Z");
const BUNDLE = "evidence/diag.bundle.yaml";
const codes = (p: VerdictProposal) => p.verdict.reasons.map((r) => r.code);

async function start(dir?: string): Promise<TestServer> {
  server = await startTestServer({}, { now: () => NOW }, dir);
  return server;
}

/** Pull request 1 with the diagnostics bundle committed in it, at `head`. */
async function pullWithCommittedBundle(head = HEAD) {
  const pull = forgejo.fake.issue(REPO, 1, { isPull: true, pullFiles: [{ filename: BUNDLE, status: "added" }, { filename: "src/app.ts", status: "modified" }] });
  forgejo.fake.file(REPO, head, BUNDLE, await readFile(fixture("examples/runtime-diagnostics.bundle.yaml")));
  return pull;
}

/**
 * GET /repos/{o}/{r}/pulls/{n}, which the forgejo.fake does not serve: the recorded real answer
 * (code.forgejo.org) with another head, checked against Forgejo's description as the forgejo.fake's are.
 */
async function servePull(number: number, headSha: string): Promise<void> {
  const recorded = (JSON.parse(await readFile(fixture("forgejo/api-responses/forgejo-11dev_code.forgejo.org_GET_repos_Gusted_agit-test_pulls.json"), "utf8")) as Array<Record<string, any>>)[0]!;
  const body = { ...recorded, number, head: { ...recorded.head, sha: headSha } };
  const original = forgejo.fake.handle.bind(forgejo.fake);
  forgejo.fake.handle = async (request) => {
    const url = new URL(request.url);
    if (request.method !== "GET" || url.pathname !== `/api/v1/repos/${REPO}/pulls/${number}`) return original(request);
    forgejo.fake.requests.push({ method: "GET", path: url.pathname });
    for (const contract of CONTRACTS) forgejo.fake.violations.push(...contract.checkRequest("GET", url, undefined), ...contract.checkResponse("GET", url.pathname, 200, body));
    return Response.json(body);
  };
}

async function checkCommand(id: string, edit: (p: Record<string, any>) => void = () => {}): Promise<VerdictProposal[]> {
  const body = await payload("synthesized/pull_request_comment__created.json", (p) => {
    p.comment.body = "/patchwarden check";
    edit(p);
  });
  const response = await server!.app.request("/webhooks/forgejo", deliveryRequest({ event: "issue_comment", type: "pull_request_comment", id, body }));
  expect(await response.json()).toMatchObject({ status: "accepted" });
  await server!.worker.idle();
  return verdictProposals(server!.proposals);
}

describe("`/patchwarden check` by an operator on a pull request whose evidence is committed in it", () => {
  it("judges the pull request's changed evidence at the head the delivery names, not `bundle_not_found`", async () => {
    await start();
    await pullWithCommittedBundle();
    const proposals = await checkCommand("d-prcheck");
    expect(proposals).toEqual([expect.objectContaining({ trigger: "command", target: expect.objectContaining({ kind: "pull", number: 1 }), origin: `${REPO}@${HEAD.slice(0, 12)}:${BUNDLE}` })]);
    expect(proposals[0]!.verdict.verdict).toBe("eligible_repair_dry_run");
    expect(forgejo.fake.requests.filter((r) => r.path.includes("/media/")).map((r) => r.path)).toEqual([`/api/v1/repos/${REPO}/media/evidence/diag.bundle.yaml?ref=${HEAD}`]);
  });

  it("judges attached and committed bundles alike, each its own proposal on the pull request", async () => {
    await start();
    const pull = await pullWithCommittedBundle();
    forgejo.fake.attach(pull, "attached.bundle.yaml", await readFile(fixture("examples/runtime-diagnostics.bundle.yaml")));
    const proposals = await checkCommand("d-prcheck-both");
    expect(proposals.map((p) => p.origin).sort()).toEqual([`${REPO}#1, attachment attached.bundle.yaml`, `${REPO}@${HEAD.slice(0, 12)}:${BUNDLE}`]);
    expect(proposals.every((p) => p.target.kind === "pull")).toBe(true);
  });

  it("asks Forgejo for the head when the delivery names none, and reads the files there", async () => {
    const current = "9".repeat(40);
    await start();
    await pullWithCommittedBundle(current);
    await servePull(1, current);
    const proposals = await checkCommand("d-prcheck-nohead", (p) => delete p.pull_request);
    expect(proposals.map((p) => p.origin)).toEqual([`${REPO}@${current.slice(0, 12)}:${BUNDLE}`]);
    expect(forgejo.fake.requests.map((r) => r.path)).toContain(`/api/v1/repos/${REPO}/pulls/1`);
  });

  it("when Forgejo names no head either: a blocked notice naming the changed files, attachments still judged, and never a read at `ref=`", async () => {
    await start();
    const pull = await pullWithCommittedBundle();
    forgejo.fake.attach(pull, "attached.bundle.yaml", await readFile(fixture("examples/runtime-diagnostics.bundle.yaml")));
    await servePull(1, "");
    const proposals = await checkCommand("d-prcheck-headless", (p) => (p.pull_request.head.sha = ""));
    const byOrigin = new Map(proposals.map((p) => [p.origin, p]));
    expect([...byOrigin.keys()].sort()).toEqual([`${REPO}#1, attachment attached.bundle.yaml`, `${REPO}#1, changed files`]);
    const notice = byOrigin.get(`${REPO}#1, changed files`)!;
    expect(notice.verdict.verdict).toBe("blocked");
    expect(notice.verdict.reasons).toEqual([expect.objectContaining({ code: "bundle_unreadable", message: expect.stringContaining("Forgejo names no head commit for the pull request") })]);
    expect(notice.verdict.reasons[0]!.message).toContain("`evidence/diag.bundle.yaml`");
    expect(forgejo.fake.requests.filter((r) => r.path.includes("/media/"))).toEqual([]);
  });

  it("when Forgejo cannot list the changed files: a blocked notice saying so, not `bundle_not_found`", async () => {
    await start();
    forgejo.fake.issue(REPO, 1, { isPull: true });
    const original = forgejo.fake.handle.bind(forgejo.fake);
    forgejo.fake.handle = async (request) => (new URL(request.url).pathname.endsWith("/pulls/1/files") ? Response.json({ message: "internal error" }, { status: 500 }) : original(request));
    const proposals = await checkCommand("d-prcheck-unlisted");
    expect(proposals).toEqual([expect.objectContaining({ origin: `${REPO}#1, changed files`, verdict: expect.objectContaining({ verdict: "blocked" }) })]);
    expect(codes(proposals[0]!)).toEqual(["bundle_unreadable"]);
  });

  it("with evidence nowhere (no attachment, fence or committed file): `bundle_not_found`, which says a commit would do too", async () => {
    await start();
    forgejo.fake.issue(REPO, 1, { isPull: true, pullFiles: [{ filename: "src/app.ts", status: "modified" }] });
    const [proposal, ...rest] = await checkCommand("d-prcheck-none");
    expect(rest).toEqual([]);
    expect(proposal!.verdict.reasons).toEqual([expect.objectContaining({ code: "bundle_not_found", message: expect.stringContaining("or commit one to the pull request where the evidence globs match it") })]);
  });

  it("a deleted bundle is not judged (as for the pull request trigger)", async () => {
    await start();
    forgejo.fake.issue(REPO, 1, { isPull: true, pullFiles: [{ filename: BUNDLE, status: "removed" }] });
    const [proposal] = await checkCommand("d-prcheck-deleted");
    expect(codes(proposal!)).toEqual(["bundle_not_found"]);
  });
});

describe("the gate label on a pull request", () => {
  it("judges the evidence committed in it too, at the head the delivery names", async () => {
    await start();
    await pullWithCommittedBundle();
    const body = await payload("real/forgejo-codeberg-HookPullRequestLabelAdded.json", (p) => {
      p.repository.full_name = REPO;
      p.sender.login = "root";
      p.number = 1;
      p.action = "label_updated";
      p.pull_request.labels = [{ id: 1, name: "gate/review" }];
      p.pull_request.head.sha = HEAD;
    });
    const response = await server!.app.request("/webhooks/forgejo", deliveryRequest({ event: "pull_request", type: "pull_request_label", id: "d-prlabel", body }));
    expect(await response.json()).toMatchObject({ status: "accepted" });
    await server!.worker.idle();
    expect((await verdictProposals(server!.proposals)).map((p) => [p.trigger, p.origin])).toEqual([["label", `${REPO}@${HEAD.slice(0, 12)}:${BUNDLE}`]]);
  });
});

describe("a command job recovered from an older inbox, written without the head commit", () => {
  it("still runs: the head is asked of Forgejo", async () => {
    const current = "8".repeat(40);
    dataDir = await mkdtemp(join(tmpdir(), "pw-trigger-"));
    const line = { type: "accepted", delivery: "old-cmd", received_at: "2026-11-21T11:00:00.000Z", event: "issue_comment", event_type: "pull_request_comment", job: { trigger: "command", repo: REPO, number: 1, isPull: true, sender: "root", commentId: 9 } };
    await mkdir(join(dataDir, "inbox"), { recursive: true });
    await appendFile(join(dataDir, "inbox", "deliveries.jsonl"), `${JSON.stringify(line)}\n`);
    await pullWithCommittedBundle(current);
    await servePull(1, current);
    const running = await start(dataDir);
    expect(running.recoveredJobs).toBe(1);
    await running.worker.idle();
    expect((await verdictProposals(running.proposals)).map((p) => p.origin)).toEqual([`${REPO}@${current.slice(0, 12)}:${BUNDLE}`]);
  });
});

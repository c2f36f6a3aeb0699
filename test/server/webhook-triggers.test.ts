import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { VerdictProposal } from "../../src/queue/proposal.js";
import { FORGEJO_ORIGIN, useFakeForgejo } from "../helpers/fake-forgejo.js";
import { fixture } from "../helpers/paths.js";
import { deliveryRequest, payload, REPO, startTestServer, type TestServer } from "../helpers/server-harness.js";
import { verdictProposals } from "../helpers/verdict-proposals.js";

const forgejo = useFakeForgejo();

let server: TestServer;
const KIT_TIME = Date.parse("2026-11-21T05:00:00Z");
const EXAMPLE_TIME = Date.parse("2026-11-21T12:00:00Z");
const HEAD = "ef98532add3b2feb7a137426bba1248724367df5";

async function start(now = KIT_TIME, env: Record<string, string> = {}) {
  server = await startTestServer(env, { now: () => now });
}

afterEach(async () => {
  await server?.cleanup().catch(() => {}); // some tests close their own server first
  expect(forgejo.fake.violations, "requests and responses must fit Forgejo's API description").toEqual([]);
  expect(forgejo.fake.writes(), "intake and evaluation never write to Forgejo").toEqual([]);
});

async function deliver(event: string, type: string, id: string, body: string): Promise<VerdictProposal[]> {
  const response = await server.app.request("/webhooks/forgejo", deliveryRequest({ event, type, id, body }));
  expect(response.status).toBe(202);
  expect(await response.json()).toMatchObject({ status: "accepted" });
  await server.worker.idle();
  return verdictProposals(server.proposals);
}

async function kitRunFiles(run: string): Promise<Array<[string, Buffer]>> {
  const folder = fixture(`openclaw-runs/${run}`);
  return Promise.all((await readdir(folder)).map(async (name) => [name, await readFile(`${folder}/${name}`)] as [string, Buffer]));
}

const labelPayload = () => payload("synthesized/issues__label_updated.json");
const reasonCodes = (p: VerdictProposal) => [...new Set(p.verdict.reasons.map((r) => r.code))].sort();

describe("gate label on an issue", () => {
  it("judges a bundle attached to the issue and proposes a comment there (pending, nothing posted)", async () => {
    await start(EXAMPLE_TIME);
    const issue = forgejo.fake.issue(REPO, 3, { labels: ["gate/review"] });
    forgejo.fake.attach(issue, "runtime-diagnostics.bundle.yaml", await readFile(fixture("examples/runtime-diagnostics.bundle.yaml")));
    const [proposal, ...rest] = await deliver("issues", "issue_label", "d-1", await labelPayload());
    expect(rest).toEqual([]);
    expect(proposal).toMatchObject({ state: "pending", trigger: "label", target: { repo: REPO, kind: "issue", number: 3 }, verdict: { verdict: "eligible_repair_dry_run" }, origin: `${REPO}#3, attachment runtime-diagnostics.bundle.yaml` });
    expect(proposal!.post.kind).toBe("comment");
    const body = (proposal!.post as { body: string }).body;
    expect(body.split("\n")[0]).toBe(`<!-- patchwarden:proposal ${proposal!.id} -->`);
    expect(body).toContain("Patchwarden gate: `eligible_repair_dry_run`");
    expect(forgejo.fake.posted).toEqual([]);
  });

  it("judges a safe-update run attached as files, artifacts resolved among the sibling attachments", async () => {
    await start();
    const issue = forgejo.fake.issue(REPO, 3, { labels: ["gate/review"] });
    for (const [name, bytes] of await kitRunFiles("green")) forgejo.fake.attach(issue, name, bytes);
    const [proposal] = await deliver("issues", "issue_label", "d-kit", await labelPayload());
    expect(proposal!.verdict.verdict).toBe("needs_human");
    expect(reasonCodes(proposal!)).toEqual(["hard_manual_class", "mutation_requires_operator", "producer_gate_handling"]);
    expect(proposal!.bundle_digest).toBe("sha256:8e75e00dad3491b0b4722b93c9fe36ada989523814aa1910e92b1765baab9983");
  });

  it("blocks a kit run whose attached artifact is missing", async () => {
    await start();
    const issue = forgejo.fake.issue(REPO, 3, { labels: ["gate/review"] });
    for (const [name, bytes] of await kitRunFiles("green")) if (name !== "runtime-truth.json") forgejo.fake.attach(issue, name, bytes);
    const [proposal] = await deliver("issues", "issue_label", "d-kit-missing", await labelPayload());
    expect(proposal!.verdict.verdict).toBe("blocked");
    expect(proposal!.verdict.reasons.find((r) => r.code === "artifact_missing")?.message).toMatch(/no attachment named `runtime-truth.json` beside it/);
  });

  it("judges a bundle written in a fenced block in the description", async () => {
    await start(EXAMPLE_TIME);
    const yaml = await readFile(fixture("examples/runtime-diagnostics.bundle.yaml"), "utf8");
    forgejo.fake.issue(REPO, 3, { labels: ["gate/review"], body: `Please check.\n\n\`\`\`patchwarden-bundle\n${yaml}\`\`\`\n` });
    const [proposal] = await deliver("issues", "issue_label", "d-fenced", await labelPayload());
    expect(proposal).toMatchObject({ origin: `${REPO}#3, fenced block in the description`, verdict: { verdict: "eligible_repair_dry_run" } });
  });

  it("says so, blocked, when the issue carries no bundle", async () => {
    await start();
    forgejo.fake.issue(REPO, 3, { labels: ["gate/review"], body: "no evidence here" });
    const [proposal] = await deliver("issues", "issue_label", "d-none", await labelPayload());
    expect(proposal!.verdict.verdict).toBe("blocked");
    expect(reasonCodes(proposal!)).toEqual(["bundle_not_found"]);
  });

  it("supersedes an older pending proposal for the same target and bundle", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pw-supersede-"));
    server = await startTestServer({}, { now: () => EXAMPLE_TIME }, dir);
    const issue = forgejo.fake.issue(REPO, 3, { labels: ["gate/review"] });
    forgejo.fake.attach(issue, "runtime-diagnostics.bundle.yaml", await readFile(fixture("examples/runtime-diagnostics.bundle.yaml")));
    const [first] = await deliver("issues", "issue_label", "d-old", await labelPayload());
    await server.cleanup();
    server = await startTestServer({}, { now: () => EXAMPLE_TIME + 60_000 }, dir);
    // A later label change: the issue as it is then, so other bytes than the first delivery's.
    const proposals = await deliver("issues", "issue_label", "d-new", await payload("synthesized/issues__label_updated.json", (p) => (p.issue.updated_at = "2024-01-24T19:13:00Z")));
    await server.cleanup();
    await rm(dir, { recursive: true, force: true });
    const older = proposals.find((p) => p.id === first!.id)!;
    const newer = proposals.find((p) => p.id !== first!.id)!;
    expect(newer.state).toBe("pending");
    expect(older).toMatchObject({ state: "superseded", superseded_by: newer.id });
  });
});

describe("/patchwarden check", () => {
  it("reads the command comment's attachments through the API (the webhook leaves them out)", async () => {
    await start(EXAMPLE_TIME);
    const issue = forgejo.fake.issue(REPO, 3);
    const comment = forgejo.fake.comment(issue, "root", "/patchwarden check");
    forgejo.fake.attach(comment, "diag.bundle.yaml", await readFile(fixture("examples/runtime-diagnostics.bundle.yaml")));
    const body = await payload("synthesized/issue_comment__created.json", (p) => {
      p.comment.id = comment.id;
      p.comment.body = "Evidence attached.\n/patchwarden check\n";
      p.comment.assets = [];
    });
    const [proposal] = await deliver("issue_comment", "issue_comment", "d-cmd", body);
    expect(proposal).toMatchObject({ trigger: "command", origin: `${REPO}#3, comment ${comment.id}, attachment diag.bundle.yaml`, verdict: { verdict: "eligible_repair_dry_run" } });
    expect(forgejo.fake.requests.some((r) => r.path === `/api/v1/repos/${REPO}/issues/comments/${comment.id}/assets`)).toBe(true);
  });

  it("on a pull request, proposes on the pull request", async () => {
    await start();
    const pull = forgejo.fake.issue(REPO, 1, { isPull: true });
    for (const [name, bytes] of await kitRunFiles("blocked-no-attestation")) forgejo.fake.attach(pull, name, bytes);
    const body = await payload("synthesized/pull_request_comment__created.json", (p) => (p.comment.body = "/patchwarden check"));
    const [proposal] = await deliver("issue_comment", "pull_request_comment", "d-prcmd", body);
    expect(proposal).toMatchObject({ target: { kind: "pull", number: 1 }, verdict: { verdict: "blocked" } });
  });
});

describe("push of evidence", () => {
  const pushWith = (files: string[]) =>
    payload("real/forgejo-push-fixture.json", (p) => {
      p.repository.full_name = REPO;
      p.sender.login = "iskra-bot";
      p.ref = "refs/heads/main";
      p.after = HEAD;
      p.commits = [{ id: HEAD, message: "evidence", added: files, modified: [], removed: [] }];
    });

  it("judges a pushed safe-update run at the pushed commit and proposes a commit status", async () => {
    await start();
    const files: string[] = [];
    for (const [name, bytes] of await kitRunFiles("green")) {
      forgejo.fake.file(REPO, HEAD, `evidence/runs/green/${name}`, bytes);
      files.push(`evidence/runs/green/${name}`);
    }
    const proposals = await deliver("push", "push", "d-push", await pushWith(files));
    expect(proposals).toHaveLength(1);
    expect(proposals[0]).toMatchObject({ trigger: "push", target: { kind: "commit", sha: HEAD }, origin: `${REPO}@${HEAD.slice(0, 12)}:evidence/runs/green/evidence-bundle.json`, verdict: { verdict: "needs_human" } });
    expect(proposals[0]!.post).toMatchObject({ kind: "status", state: "pending", context: "patchwarden/gate: evidence/runs/green/evidence-bundle.json" });
    expect(forgejo.fake.requests.filter((r) => r.path.includes("/media/")).every((r) => r.path.endsWith(`ref=${HEAD}`))).toBe(true);
  });

  it("proposes on the issue a pushed bundle names", async () => {
    await start(EXAMPLE_TIME);
    const yaml = (await readFile(fixture("examples/runtime-diagnostics.bundle.yaml"), "utf8")).replace("  target:\n", "  issue: 7\n  target:\n");
    forgejo.fake.file(REPO, HEAD, "evidence/diag.bundle.yaml", yaml);
    const [proposal] = await deliver("push", "push", "d-push-issue", await pushWith(["evidence/diag.bundle.yaml"]));
    expect(proposal).toMatchObject({ target: { kind: "issue", number: 7 }, verdict: { verdict: "eligible_repair_dry_run" } });
  });

  it("ignores a push that changes no evidence file", async () => {
    await start();
    const response = await server.app.request("/webhooks/forgejo", deliveryRequest({ event: "push", id: "d-push-none", body: await pushWith(["README.md"]) }));
    expect(await response.json()).toMatchObject({ status: "ignored", reason: expect.stringMatching(/no added or modified file matches the evidence globs/) });
  });
});

describe("pull request with evidence", () => {
  it("judges the changed evidence files at the head commit and proposes on the pull request", async () => {
    await start(EXAMPLE_TIME);
    forgejo.fake.issue(REPO, 2, { isPull: true, pullFiles: [{ filename: "evidence/diag.bundle.yaml", status: "added" }, { filename: "src/app.ts", status: "modified" }] });
    forgejo.fake.file(REPO, "788ed8d0f7e4f10c2d5a5e2d2b83f2c5e1a0b3c4", "evidence/diag.bundle.yaml", await readFile(fixture("examples/runtime-diagnostics.bundle.yaml")));
    const body = await payload("real/forgejo-codeberg-HookPullRequestUpdated.json", (p) => {
      p.repository.full_name = REPO;
      p.sender.login = "iskra-bot";
      p.number = 2;
      p.pull_request.head.sha = "788ed8d0f7e4f10c2d5a5e2d2b83f2c5e1a0b3c4";
    });
    const [proposal] = await deliver("pull_request", "pull_request_sync", "d-pr", body);
    expect(proposal).toMatchObject({ trigger: "pull_request", target: { kind: "pull", number: 2 }, verdict: { verdict: "eligible_repair_dry_run" } });
  });
});

describe("when Forgejo fails", () => {
  it("down: the proposal says the evidence could not be read, and the verdict is blocked", async () => {
    await start();
    forgejo.fake.failure = "down";
    const [proposal] = await deliver("issues", "issue_label", "d-down", await labelPayload());
    expect(proposal!.verdict.verdict).toBe("blocked");
    expect(proposal!.verdict.reasons[0]).toMatchObject({ code: "bundle_unreadable", message: expect.stringMatching(/could not be read from Forgejo .*cannot reach http:\/\/forgejo\.test/) });
    expect(forgejo.fake.requests.filter((r) => r.path.startsWith(`/api/v1/repos/${REPO}/issues/3`)).length).toBe(2); // one retry, not forever
  });

  it("answering 500: blocked, with the status in the reason", async () => {
    await start();
    forgejo.fake.issue(REPO, 3, { labels: ["gate/review"] });
    forgejo.fake.failure = 500;
    const [proposal] = await deliver("issues", "issue_label", "d-500", await labelPayload());
    expect(proposal!.verdict.reasons[0]!.message).toMatch(/answered 500/);
  });

  it("an attachment URL pointing at another host is never followed (no SSRF): the file is read from the configured Forgejo by its uuid", async () => {
    await start(EXAMPLE_TIME);
    const issue = forgejo.fake.issue(REPO, 3, { labels: ["gate/review"] });
    const attached = forgejo.fake.attach(issue, "runtime-diagnostics.bundle.yaml", await readFile(fixture("examples/runtime-diagnostics.bundle.yaml")));
    const original = forgejo.fake.handle.bind(forgejo.fake);
    forgejo.fake.handle = async (request) => {
      const response = await original(request);
      if (new URL(request.url).pathname === `/api/v1/repos/${REPO}/issues/3`) {
        const issueJson = (await response.json()) as { assets: Array<{ browser_download_url: string }> };
        issueJson.assets[0]!.browser_download_url = "http://169.254.169.254/latest/meta-data";
        return Response.json(issueJson);
      }
      return response;
    };
    const [proposal] = await deliver("issues", "issue_label", "d-ssrf", await labelPayload());
    expect(proposal!.verdict.verdict).toBe("eligible_repair_dry_run");
    expect(forgejo.fake.requests.map((r) => r.path)).toContain(`/attachments/${attached.uuid}`);
    expect(forgejo.fake.requests.some((r) => r.path.includes("meta-data"))).toBe(false);
  });
});

describe("stdout output", () => {
  it("prints each proposal as one JSON line, and queues it too with queue,stdout", async () => {
    await start(EXAMPLE_TIME, { PATCHWARDEN_OUTPUT: "queue,stdout" });
    const issue = forgejo.fake.issue(REPO, 3, { labels: ["gate/review"] });
    forgejo.fake.attach(issue, "diag.bundle.yaml", await readFile(fixture("examples/runtime-diagnostics.bundle.yaml")));
    const [queued] = await deliver("issues", "issue_label", "d-stdout", await labelPayload());
    expect(server.printed).toHaveLength(1);
    expect(server.printed[0]!.endsWith("\n")).toBe(true);
    expect(server.printed[0]!.trim().split("\n")).toHaveLength(1);
    expect(JSON.parse(server.printed[0]!)).toMatchObject({ id: queued!.id, state: "pending" });
  });

  it("with stdout alone, queues nothing", async () => {
    await start(EXAMPLE_TIME, { PATCHWARDEN_OUTPUT: "stdout" });
    forgejo.fake.issue(REPO, 3, { labels: ["gate/review"] });
    const response = await server.app.request("/webhooks/forgejo", deliveryRequest({ event: "issues", type: "issue_label", id: "d-stdout-only", body: await labelPayload() }));
    expect(response.status).toBe(202);
    await server.worker.idle();
    expect(server.printed).toHaveLength(1);
    expect(await server.proposals.list()).toEqual([]);
  });
});

void FORGEJO_ORIGIN;

import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ForgejoWriter } from "../../src/forgejo/writer.js";
import { readPolicy, SHIPPED_POLICY_PATH } from "../../src/policy/read-policy.js";
import { EvidenceStore } from "../../src/queue/evidence-store.js";
import { approveAsOperator } from "../../src/queue/operator-actions.js";
import { isWhatIf, type WhatIfProposal } from "../../src/queue/proposal.js";
import { receiptPaths } from "../../src/receipts/data-dir.js";
import type { Receipt } from "../../src/receipts/receipt-schema.js";
import { FORGEJO_ORIGIN, useFakeForgejo } from "../helpers/fake-forgejo.js";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";
import { deliveryRequest, payload, REPO, startTestServer, type TestServer } from "../helpers/server-harness.js";

/**
 * Issue #5 §3: a policy change arriving in a push (or a pull request) to an allowed repository gets
 * a proposal listing what it would do to past verdicts. The data folder holds two past verdicts on
 * the example bundle: eligible at noon, blocked at 12:40 (the dashboard was 45 minutes old).
 */
const forgejo = useFakeForgejo();

const HEAD = "ef98532add3b2feb7a137426bba1248724367df5";
const PR_HEAD = "788ed8d0f7e4f10c2d5a5e2d2b83f2c5e1a0b3c4";
const POLICY_FILE = "policies/iskra-openclaw.v0.toml";
const NOW = Date.parse("2026-11-21T13:00:00Z");

let dir: string;
let server: TestServer | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-what-if-"));
  for (const now of ["2026-11-21T12:00:00Z", "2026-11-21T12:40:00Z"]) {
    const run = await runCli(["runtime-repair-check", "--bundle", fixture("examples/runtime-diagnostics.bundle.yaml"), "--receipt", "--actor", "piotr", "--now", now], { env: { PATCHWARDEN_DATA_DIR: dir } });
    expect(run.stderr).toContain("recorded the verdict");
  }
  server = await startTestServer({}, { now: () => NOW }, dir);
});
afterEach(async () => {
  await server?.cleanup();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
  expect(forgejo.fake.violations).toEqual([]);
});

async function policyText(edit: (text: string) => string = (text) => text): Promise<string> {
  return edit(await readFile(SHIPPED_POLICY_PATH, "utf8"));
}
const looser = (text: string) => text.replace('[evidence.autoheal-dashboard]\nmax_age = "30m"', '[evidence.autoheal-dashboard]\nmax_age = "1h"');

const pushOf = (files: string[]) =>
  payload("real/forgejo-push-fixture.json", (p) => {
    p.repository.full_name = REPO;
    p.sender.login = "root";
    p.ref = "refs/heads/main";
    p.after = HEAD;
    p.commits = [{ id: HEAD, message: "policy", added: [], modified: files, removed: [] }];
  });

async function deliver(event: string, type: string, id: string, body: string): Promise<WhatIfProposal[]> {
  const response = await server!.app.request("/webhooks/forgejo", deliveryRequest({ event, type, id, body }));
  expect(await response.json()).toMatchObject({ status: "accepted" });
  await server!.worker.idle();
  return (await server!.proposals.list()).filter(isWhatIf);
}

async function receipts(): Promise<Receipt[]> {
  return (await readFile(receiptPaths(dir).log, "utf8")).trim().split("\n").map((line) => JSON.parse(line) as Receipt);
}

describe("a pushed policy change", () => {
  it("gets a what-if proposal: a pending commit status when it loosens a past verdict, recorded first", async () => {
    forgejo.fake.file(REPO, HEAD, POLICY_FILE, await policyText(looser));
    const [proposal, ...rest] = await deliver("push", "push", "d-policy", await pushOf([POLICY_FILE, "README.md"]));
    expect(rest).toEqual([]);
    expect(proposal).toMatchObject({
      subject: "policy_what_if",
      state: "pending",
      trigger: "push",
      target: { kind: "commit", sha: HEAD },
      origin: `${REPO}@${HEAD.slice(0, 12)}:${POLICY_FILE}`,
      what_if: { path: POLICY_FILE, ref: HEAD, through_seq: 2, replayed: 2, loosened: 1, tightened: 0, not_replayed: 0, problems: [] },
    });
    expect(proposal!.post).toEqual({ kind: "status", state: "pending", context: "patchwarden/policy-what-if", description: `1 looser setting; 1 past verdict would change, 1 looser, 0 stricter (2 replayed) (proposal ${proposal!.id})` });
    expect((await receipts()).at(-1)).toMatchObject({ kind: "what_if.proposed", actor: "patchwarden", proposal_id: proposal!.id, path: POLICY_FILE, loosened: 1, through_seq: 2, target: { repo: REPO, commit: HEAD } });
    expect(forgejo.fake.writes()).toEqual([]);
    const shown = await runCli(["queue", "show", proposal!.id], { env: { PATCHWARDEN_DATA_DIR: dir } });
    expect(shown.stdout).toContain(`policy what-if: ${POLICY_FILE} at ${HEAD}`);
    expect(shown.stdout).toContain("replayed 2 past verdicts (receipts 1–2): 1 looser, 0 stricter, 0 not replayed");
    expect((await runCli(["queue", "list"], { env: { PATCHWARDEN_DATA_DIR: dir } })).stdout).toMatch(new RegExp(`${proposal!.id}\\s+pending\\s+what-if: 1 looser, 0 stricter`));
  });

  it("the unchanged policy: a success status, nothing would change", async () => {
    forgejo.fake.file(REPO, HEAD, POLICY_FILE, await policyText());
    const [proposal] = await deliver("push", "push", "d-same", await pushOf([POLICY_FILE]));
    expect(proposal!.post).toMatchObject({ kind: "status", state: "success", description: expect.stringMatching(/^no past verdict would change \(2 replayed\)/) });
  });

  it("an invalid policy: a failure status naming the first problem, nothing replayed", async () => {
    forgejo.fake.file(REPO, HEAD, POLICY_FILE, (await policyText()).replace('requires = ["runtime-truth-report", "autoheal-dashboard"]', 'requires = ["runtime-truth-report", "autoheal-dashbord"]'));
    const [proposal] = await deliver("push", "push", "d-bad", await pushOf([POLICY_FILE]));
    expect(proposal!.what_if).toMatchObject({ policy_digest: null, replayed: 0 });
    expect(proposal!.what_if.problems.join("\n")).toContain("unknown evidence kind `autoheal-dashbord`");
    expect(proposal!.post).toMatchObject({ kind: "status", state: "failure", description: expect.stringMatching(/^not replayed: policy\.repair_classes\.runtime_diagnostics\.requires\[1\]/) });
  });

  it("more policy files than are replayed per delivery: the rest fail closed, each named", async () => {
    const paths = ["a", "b", "c", "d", "e", "f"].map((name) => `policies/${name}.toml`);
    for (const path of paths) forgejo.fake.file(REPO, HEAD, path, await policyText());
    const proposals = await deliver("push", "push", "d-six", await pushOf(paths));
    expect(proposals).toHaveLength(6);
    const byPath = new Map(proposals.map((proposal) => [proposal.what_if.path, proposal]));
    for (const path of paths.slice(0, 5)) expect(byPath.get(path)!.post).toMatchObject({ state: "success" });
    const skipped = byPath.get("policies/f.toml")!;
    expect(skipped.what_if).toMatchObject({ policy_digest: null, replayed: 0, problems: ["`policies/f.toml`: this change holds 6 policy files and at most 5 are replayed per delivery; change fewer policy files at once"] });
    expect(skipped.post).toMatchObject({ kind: "status", state: "failure", description: expect.stringMatching(/^not replayed: `policies\/f\.toml`: this change holds 6 policy files/) });
  });

  it("a push that created a branch with more commits than the webhook lists: a failure status saying the policy files cannot all be known", async () => {
    forgejo.fake.file(REPO, HEAD, POLICY_FILE, await policyText());
    const body = await payload("real/forgejo-push-fixture.json", (p) => {
      p.repository.full_name = REPO;
      p.sender.login = "root";
      p.ref = "refs/heads/policy-work";
      p.before = "0".repeat(40);
      p.after = HEAD;
      p.total_commits = 30;
      p.commits = [{ id: HEAD, message: "policy", added: [], modified: [POLICY_FILE], removed: [] }];
    });
    const proposals = await deliver("push", "push", "d-new-branch", body);
    const hidden = proposals.find((proposal) => proposal.what_if.path === "refs/heads/policy-work")!;
    expect(hidden.post).toMatchObject({ kind: "status", state: "failure", description: expect.stringContaining("`refs/heads/policy-work` was created with more commits than its webhook lists") });
    expect(proposals.find((proposal) => proposal.what_if.path === POLICY_FILE)!.post).toMatchObject({ state: "success" });
  });

  it("a push touching neither evidence nor policies is still ignored", async () => {
    const response = await server!.app.request("/webhooks/forgejo", deliveryRequest({ event: "push", id: "d-none", body: await pushOf(["README.md"]) }));
    expect(await response.json()).toMatchObject({ status: "ignored", reason: expect.stringContaining("or the policy globs (policies/**/*.toml)") });
  });
});

describe("a policy change in a pull request", () => {
  const pullBody = (updatedAt?: string) =>
    payload("real/forgejo-codeberg-HookPullRequestUpdated.json", (p) => {
      p.repository.full_name = REPO;
      p.sender.login = "root";
      p.number = 2;
      p.pull_request.head.sha = PR_HEAD;
      if (updatedAt !== undefined) p.pull_request.updated_at = updatedAt;
    });

  it("gets a comment proposal with the table, looser first, and a newer push supersedes it", async () => {
    forgejo.fake.issue(REPO, 2, { isPull: true, pullFiles: [{ filename: POLICY_FILE, status: "modified" }] });
    forgejo.fake.file(REPO, PR_HEAD, POLICY_FILE, await policyText(looser));
    const [proposal] = await deliver("pull_request", "pull_request_sync", "d-pr-1", await pullBody());
    expect(proposal).toMatchObject({ target: { kind: "pull", number: 2 }, post: { kind: "comment" } });
    const body = (proposal!.post as { body: string }).body;
    expect(body.split("\n")[0]).toBe(`<!-- patchwarden:proposal ${proposal!.id} -->`);
    expect(body).toContain("### 🟡 Patchwarden policy what-if: 1 looser setting; 1 past verdict would change, 1 looser, 0 stricter (2 replayed)");
    expect(body).toContain("| **looser** | `blocked` | `eligible_repair_dry_run` | 2 | 2026-11-21T12:40:00.000Z | `runtime_diagnostics` | — | `−evidence_stale` `+dry_run_only` |");
    expect(body).toContain("> Proposal only: Patchwarden changed nothing.");
    // Evidence and policy both filter the pull request's files: Forgejo is asked once per job.
    expect(forgejo.fake.requests.filter((r) => r.path.startsWith(`/api/v1/repos/${REPO}/pulls/2/files`))).toHaveLength(1);

    // A newer delivery for the same head (the pull request updated again, so other bytes: the same
    // bytes under a new id would be a redelivery, a duplicate). Replayed over the same receipts it
    // gives the same what-if, which the newer delivery's supersedes.
    const again = await deliver("pull_request", "pull_request_sync", "d-pr-2", await pullBody("2024-02-22T01:43:03+01:00"));
    expect(again.map((p) => p.state).sort()).toEqual(["pending", "superseded"]);
    expect((await receipts()).filter((r) => r.kind === "proposal.superseded")).toHaveLength(1);
  });
});

describe("approving a what-if", () => {
  const writer = () => new ForgejoWriter({ baseUrl: new URL(FORGEJO_ORIGIN), token: "write-token", timeoutMs: 2000, maxBytes: 1 << 20, fetch, retryDelayMs: 10 });

  it("replays it again, posts it as proposed, records approval and posting, and takes no lock", async () => {
    forgejo.fake.file(REPO, HEAD, POLICY_FILE, await policyText(looser));
    const [proposal] = await deliver("push", "push", "d-approve", await pushOf([POLICY_FILE]));
    forgejo.fake.writesAllowed = true;
    const outcome = await approveAsOperator(proposal!.id, { store: server!.proposals, evidence: new EvidenceStore(dir), log: server!.receipts, locks: server!.locks, policy: await readPolicy(), now: NOW, writer: writer(), actor: "piotr" });
    expect(outcome).toMatchObject({ kind: "posted", alreadyPosted: false });
    expect(forgejo.fake.statuses.get(`${REPO}@${HEAD}`)).toEqual([{ state: "pending", context: "patchwarden/policy-what-if", description: expect.stringContaining(proposal!.id) }]);
    const kinds = (await receipts()).filter((r) => (r as { proposal_id?: string }).proposal_id === proposal!.id).map((r) => r.kind);
    expect(kinds).toEqual(["what_if.proposed", "proposal.approved", "proposal.posted"]);
    expect((await receipts()).some((r) => r.kind === "lock.acquired")).toBe(false);
  });

  it("refuses, posting nothing, when replaying again gives another result (kept evidence gone)", async () => {
    forgejo.fake.file(REPO, HEAD, POLICY_FILE, await policyText(looser));
    const [proposal] = await deliver("push", "push", "d-gone", await pushOf([POLICY_FILE]));
    await rm(join(dir, "evidence"), { recursive: true });
    forgejo.fake.writesAllowed = true;
    const outcome = await approveAsOperator(proposal!.id, { store: server!.proposals, evidence: new EvidenceStore(dir), log: server!.receipts, locks: server!.locks, policy: await readPolicy(), now: NOW, writer: writer(), actor: "piotr" });
    expect(outcome.kind === "refused" && outcome.reason).toMatch(/replaying the policy again, against the running policy `iskra-openclaw` \(sha256:[0-9a-f]{64}\), gives another result \(0 looser, 0 stricter, 2 not replayed; it was 1, 0, 0\); if the running policy changed since, the what-if compared with the old one\. Nothing was posted; push the policy again/);
    expect(forgejo.fake.statuses.size).toBe(0);
  });
});

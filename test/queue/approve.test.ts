import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { http, HttpResponse } from "msw";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { readEvidenceSnapshot } from "../../src/evidence/read-evidence.js";
import { ForgejoWriter } from "../../src/forgejo/writer.js";
import { parsePolicy } from "../../src/policy/parse-policy.js";
import { readPolicy, SHIPPED_POLICY_PATH } from "../../src/policy/read-policy.js";
import { approveProposal } from "../../src/queue/approve.js";
import { EvidenceStore } from "../../src/queue/evidence-store.js";
import { ProposalStore } from "../../src/queue/proposal-store.js";
import { proposeVerdict } from "../../src/queue/propose-verdict.js";
import type { Proposal, VerdictProposal } from "../../src/queue/proposal.js";
import { FakeForgejo, FORGEJO_ORIGIN, startMsw } from "../helpers/fake-forgejo.js";
import { fixture } from "../helpers/paths.js";
import { REPO } from "../helpers/server-harness.js";

const fake = new FakeForgejo();
const msw = startMsw(fake);
afterAll(() => msw.close());

const EXAMPLE_TIME = Date.parse("2026-11-21T12:00:00Z");
let dir: string;
let store: ProposalStore;
let evidence: EvidenceStore;
const writer = new ForgejoWriter({ baseUrl: new URL(FORGEJO_ORIGIN), token: "write-token", timeoutMs: 2000, maxBytes: 1 << 20, fetch, retryDelayMs: 10 });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-approve-"));
  store = new ProposalStore(dir);
  evidence = new EvidenceStore(dir);
  fake.issue(REPO, 3);
  fake.posted.length = 0;
  fake.statuses.clear();
  fake.writesAllowed = true;
});
afterEach(async () => {
  msw.resetHandlers();
  fake.failure = null;
  await rm(dir, { recursive: true, force: true });
  expect(fake.violations).toEqual([]);
});

async function propose(bundle = "examples/runtime-diagnostics.bundle.yaml", target: Proposal["target"] = { repo: REPO, kind: "issue", number: 3 }, now = EXAMPLE_TIME): Promise<VerdictProposal> {
  const snapshot = await readEvidenceSnapshot(fixture(bundle));
  return proposeVerdict(snapshot, target, { trigger: "label", delivery: { id: "d-1", event: "issues" }, idSeed: "d-1" }, {
    evidence,
    proposals: store,
    policy: await readPolicy(),
    now,
    actor: "patchwarden",
    outputs: new Set(["queue"]),
    printLine: () => {},
  });
}

const deps = async (overrides: Partial<Parameters<typeof approveProposal>[1]> = {}) => ({ store, evidence, policy: await readPolicy(), now: EXAMPLE_TIME + 60_000, writer, actor: "piotr", ...overrides });

describe("queue approve: the only write path", () => {
  it("re-judges, records the approval, posts the comment exactly as proposed, records it posted", async () => {
    const proposal = await propose();
    const outcome = await approveProposal(proposal.id, await deps());
    expect(outcome).toMatchObject({ kind: "posted", alreadyPosted: false });
    expect(fake.posted).toHaveLength(1);
    expect(fake.posted[0]!.body).toBe((proposal.post as { body: string }).body);
    const stored = await store.require(proposal.id);
    expect(stored.state).toBe("posted");
    expect(stored.history.map((e) => [e.state, e.actor])).toEqual([["pending", "patchwarden"], ["approved", "piotr"], ["posted", "piotr"]]);
    expect(stored.posted).toMatchObject({ by: "piotr", comment_id: fake.posted[0]!.id, url: expect.stringContaining(`${REPO}/issues/3#issuecomment-`) });
  });

  it("refuses a second approval once posted", async () => {
    const proposal = await propose();
    await approveProposal(proposal.id, await deps());
    expect(await approveProposal(proposal.id, await deps())).toEqual({ kind: "refused", reason: expect.stringMatching(/is posted; only a pending proposal can be approved/) });
    expect(fake.posted).toHaveLength(1);
  });

  it("two approvals at the same time post exactly one comment", async () => {
    const proposal = await propose();
    const outcomes = await Promise.all(Array.from({ length: 8 }, async () => approveProposal(proposal.id, await deps())));
    expect(outcomes.filter((o) => o.kind === "posted")).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === "refused").every((o) => o.kind === "refused" && /being handled right now|is posted/.test(o.reason))).toBe(true);
    expect(fake.posted).toHaveLength(1);
  });

  it("refuses when the evidence went stale since the proposal, and says what changed; posts nothing", async () => {
    const proposal = await propose();
    const outcome = await approveProposal(proposal.id, await deps({ now: EXAMPLE_TIME + 2 * 3600_000 }));
    expect(outcome.kind).toBe("refused");
    expect(outcome.kind === "refused" && outcome.reason).toMatch(/the verdict is now `blocked`, not `eligible_repair_dry_run` \(evidence_stale: /);
    expect(fake.posted).toEqual([]);
    expect((await store.require(proposal.id)).state).toBe("pending");
  });

  it("refuses when the policy changed, naming both digests", async () => {
    const proposal = await propose();
    const edited = (await readFile(SHIPPED_POLICY_PATH, "utf8")).replace('skew_tolerance = "2m"', 'skew_tolerance = "3m"');
    const parsed = parsePolicy(Buffer.from(edited));
    if (!parsed.ok) throw new Error("edited policy invalid");
    const outcome = await approveProposal(proposal.id, await deps({ policy: parsed.policy }));
    expect(outcome.kind === "refused" && outcome.reason).toMatch(new RegExp(`the policy changed \\(${proposal.policy_digest} → ${parsed.policy.digest}\\)`));
    expect(fake.posted).toEqual([]);
  });

  it("refuses evidence whose stored bytes were changed on disk", async () => {
    const proposal = await propose();
    const path = join(dir, "evidence", proposal.evidence_ref.slice(0, 2), `${proposal.evidence_ref}.json`);
    await writeFile(path, (await readFile(path, "utf8")).replace('"origin":"', '"origin":"x'));
    await expect(approveProposal(proposal.id, await deps())).rejects.toThrow(/does not hash to its name; it was changed after it was stored/);
    expect(fake.posted).toEqual([]);
  });

  it("after a crash between posting and recording, a retry finds the comment and posts nothing again", async () => {
    const proposal = await propose();
    // The first attempt recorded `approved` and posted, then died before recording `posted`.
    await store.transition(proposal.id, ["pending"], "approved", "piotr", "2026-11-21T12:01:00.000Z");
    await writer.postComment(REPO, 3, (proposal.post as { body: string }).body);
    expect(fake.posted).toHaveLength(1);
    const outcome = await approveProposal(proposal.id, await deps());
    expect(outcome).toMatchObject({ kind: "posted", alreadyPosted: true });
    expect(fake.posted).toHaveLength(1);
    expect((await store.require(proposal.id)).history.at(-1)).toMatchObject({ state: "posted", reason: "found already posted; not posted again" });
  });

  it("posts a commit status for a proposal on a commit, once", async () => {
    const sha = "ef98532add3b2feb7a137426bba1248724367df5";
    const proposal = await propose("openclaw-runs/green", { repo: REPO, kind: "commit", sha }, Date.parse("2026-11-21T05:00:00Z"));
    const outcome = await approveProposal(proposal.id, await deps({ now: Date.parse("2026-11-21T05:01:00Z") }));
    expect(outcome.kind).toBe("posted");
    expect(fake.statuses.get(`${REPO}@${sha}`)).toEqual([{ state: "pending", context: "patchwarden/gate", description: expect.stringContaining(proposal.id) }]);
  });

  it("refuses a rejected or superseded proposal", async () => {
    const proposal = await propose();
    await store.transition(proposal.id, ["pending"], "rejected", "piotr", "2026-11-21T12:01:00.000Z", "wrong host");
    expect(await approveProposal(proposal.id, await deps())).toEqual({ kind: "refused", reason: expect.stringMatching(/is rejected/) });
  });

  it("leaves the proposal approved (not posted) when Forgejo fails the post, so approving again finishes the job", async () => {
    const proposal = await propose();
    msw.use(http.post(`${FORGEJO_ORIGIN}/api/v1/repos/:owner/:repo/issues/:number/comments`, () => HttpResponse.json({ message: "injected failure" }, { status: 500 })));
    await expect(approveProposal(proposal.id, await deps())).rejects.toThrow(/posting the comment on root\/example-push#3: Forgejo answered 500/);
    msw.resetHandlers();
    expect((await store.require(proposal.id)).state).toBe("approved");
    expect(await approveProposal(proposal.id, await deps())).toMatchObject({ kind: "posted", alreadyPosted: false });
    expect(fake.posted).toHaveLength(1);
  });

  it("leaves the proposal pending when Forgejo fails the look-up that comes first", async () => {
    const proposal = await propose();
    fake.failure = 500;
    await expect(approveProposal(proposal.id, await deps())).rejects.toThrow(/reading the comments of root\/example-push#3: Forgejo answered 500/);
    fake.failure = null;
    expect((await store.require(proposal.id)).state).toBe("pending");
    expect(await approveProposal(proposal.id, await deps())).toMatchObject({ kind: "posted", alreadyPosted: false });
    expect(fake.posted).toHaveLength(1);
  });
});

import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { receiptPaths } from "../../src/receipts/data-dir.js";
import { trustHooks } from "../../src/receipts/proposal-recorder.js";
import type { Receipt } from "../../src/receipts/receipt-schema.js";
import { verifyReceiptLog } from "../../src/receipts/verify-log.js";
import { useFakeForgejo } from "../helpers/fake-forgejo.js";
import { fixture } from "../helpers/paths.js";
import { deliveryRequest, payload, REPO, startTestServer, type TestServer } from "../helpers/server-harness.js";
import { verdictProposals } from "../helpers/verdict-proposals.js";

const forgejo = useFakeForgejo();

const EXAMPLE_TIME = Date.parse("2026-11-21T12:00:00Z");
let dir: string;
let server: TestServer | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-gate-receipts-"));
  const issue = forgejo.fake.issue(REPO, 3, { labels: ["gate/review"] });
  forgejo.fake.attach(issue, "runtime-diagnostics.bundle.yaml", await readFile(fixture("examples/runtime-diagnostics.bundle.yaml")));
});
afterEach(async () => {
  await server?.cleanup();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
  expect(forgejo.fake.violations).toEqual([]);
});

async function start(now = EXAMPLE_TIME): Promise<TestServer> {
  server = await startTestServer({}, { now: () => now }, dir);
  return server;
}

/**
 * A new label change on the issue: Forgejo sends the issue as it is then, so the bytes differ from the
 * last delivery's (the same bytes under a new id are a redelivery, answered as a duplicate).
 */
let labelChanges = 0;
const labelChange = () => payload("synthesized/issues__label_updated.json", (p) => (p.issue.updated_at = new Date(Date.parse("2024-01-24T19:12:00Z") + ++labelChanges * 1000).toISOString()));

async function label(running: TestServer, id: string): Promise<void> {
  const response = await running.app.request("/webhooks/forgejo", deliveryRequest({ event: "issues", type: "issue_label", id, body: await labelChange() }));
  expect(response.status).toBe(202);
  await running.worker.idle();
}

async function receipts(): Promise<Receipt[]> {
  const text = await readFile(receiptPaths(dir).log, "utf8");
  return text.trim().split("\n").map((line) => JSON.parse(line) as Receipt);
}

async function chainVerifies(): Promise<void> {
  const paths = receiptPaths(dir);
  const report = await verifyReceiptLog({ log: paths.log, head: paths.head, requireHead: true });
  expect(report.ok, JSON.stringify(report)).toBe(true);
}

describe("the server records its own work in the receipt log", () => {
  it("a queued proposal has its verdict and proposed receipts, naming the evidence snapshot", async () => {
    const running = await start();
    await label(running, "d-1");
    const [proposal] = await verdictProposals(running.proposals);
    const log = await receipts();
    expect(log.map((r) => r.kind)).toEqual(["verdict", "proposal.proposed"]);
    expect(log[0]).toMatchObject({ actor: "patchwarden", proposal_id: proposal!.id, verdict: "eligible_repair_dry_run", evidence_ref: proposal!.evidence_ref, bundle_digest: proposal!.bundle_digest });
    expect(log[1]).toMatchObject({ proposal_id: proposal!.id, target: { repo: REPO, issue: 3 } });
    await chainVerifies();
  });

  it("a newer proposal for the same target and bundle records the supersession", async () => {
    await label(await start(), "d-old");
    await server!.cleanup();
    const running = await start(EXAMPLE_TIME + 60_000);
    await label(running, "d-new");
    const [older, newer] = [...(await verdictProposals(running.proposals))].sort((a, b) => a.created_at.localeCompare(b.created_at));
    const superseded = (await receipts()).filter((r) => r.kind === "proposal.superseded");
    expect(superseded).toEqual([expect.objectContaining({ proposal_id: older!.id, superseded_by: newer!.id })]);
    await chainVerifies();
  });

  it("a target under an operator's repair lock holds the verdict at needs_human, with the lock as reason", async () => {
    const running = await start();
    await running.locks.acquire({ target: { host: "iskra" }, owner: "piotr", reason: "manual gateway work", now: EXAMPLE_TIME - 1000 });
    await label(running, "d-locked");
    const [proposal] = await verdictProposals(running.proposals);
    expect(proposal!.verdict.verdict).toBe("needs_human");
    expect(proposal!.verdict.reasons.map((r) => r.code)).toContain("target_locked");
    expect((await receipts()).find((r) => r.kind === "verdict")).toMatchObject({ verdict: "needs_human" });
  });

  it("a job run again after a crash writes no receipt twice", async () => {
    const running = await start();
    await label(running, "d-1");
    const before = await receipts();
    // Replay the same proposal through the recovered path: the records exist, nothing is added.
    const [proposal] = await verdictProposals(running.proposals);
    await trustHooks(running.receipts, running.locks, () => EXAMPLE_TIME, { actor: "patchwarden", mayRepeat: true }).record(proposal!, true);
    expect(await receipts()).toEqual(before);
    await chainVerifies();
  });
});

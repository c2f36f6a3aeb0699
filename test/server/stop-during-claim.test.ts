import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { ProposalStore } from "../../src/queue/proposal-store.js";
import { receiptsOfProposal } from "../../src/receipts/proposal-receipts.js";
import { useFakeForgejo } from "../helpers/fake-forgejo.js";
import { fixture } from "../helpers/paths.js";
import { deliveryRequest, payload, REPO, startTestServer, type TestServer } from "../helpers/server-harness.js";
import { verdictProposals } from "../helpers/verdict-proposals.js";

const forgejo = useFakeForgejo();

const T = Date.parse("2026-11-21T12:00:00Z");
let dir: string;
let server: TestServer | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-stop-"));
  forgejo.fake.attach(forgejo.fake.issue(REPO, 3, { labels: ["gate/review"] }), "runtime-diagnostics.bundle.yaml", await readFile(fixture("examples/runtime-diagnostics.bundle.yaml")));
});
afterEach(async () => {
  await server?.cleanup();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

/**
 * A new label change on the issue: Forgejo sends the issue as it is then, so the bytes differ from the
 * last delivery's (the same bytes under a new id are a redelivery, answered as a duplicate).
 */
let labelChanges = 0;
const labelChange = () => payload("synthesized/issues__label_updated.json", (p) => (p.issue.updated_at = new Date(Date.parse("2024-01-24T19:12:00Z") + ++labelChanges * 1000).toISOString()));
const label = async (s: TestServer, id: string) => expect((await s.app.request("/webhooks/forgejo", deliveryRequest({ event: "issues", type: "issue_label", id, body: await labelChange() }))).status).toBe(202);

async function inbox(): Promise<Array<{ type: string; delivery: string }>> {
  return (await readFile(join(dir, "inbox", "deliveries.jsonl"), "utf8")).trim().split("\n").map((line) => JSON.parse(line) as { type: string; delivery: string });
}

/** Waits until `check` holds, polling; a generous guard, not a timing assumption. */
async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = performance.now() + 10_000;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

it("close() finishes promptly while the job under way waits for an older proposal's claim; the job runs on the next start, creating nothing twice", async () => {
  server = await startTestServer({}, { now: () => T }, dir);
  await label(server, "d-old");
  await server.worker.idle();
  await server.cleanup();

  server = await startTestServer({}, { now: () => T + 60_000 }, dir);
  const [older] = await verdictProposals(server.proposals);
  // An approval of the older proposal holds its claim: the newer one waits for it (up to a minute).
  const claim = await server.proposals.claim(older!.id, "alice", new Date().toISOString());
  if (!claim.ok) throw new Error("expected to claim the older proposal");
  await label(server, "d-new");
  // The job is under way once its receipts are written: it then waits for the claim.
  const log = join(dir, "receipts", "receipts.jsonl");
  await until(async () => (await readFile(log, "utf8")).split("\n").filter((line) => line.includes('"kind":"proposal.proposed"')).length === 2);
  expect(server.worker.backlog).toBe(1);

  const started = performance.now();
  const running = server;
  server = undefined;
  await running.close();
  const stopMs = performance.now() - started;
  await claim.release();
  expect(stopMs).toBeLessThan(5_000);

  // Not marked done, nothing queued for it: the inbox says accepted and unfinished.
  const lines = await inbox();
  expect(lines.filter((l) => l.delivery === "d-new").map((l) => l.type)).toEqual(["accepted"]);
  const stopped = await verdictProposals(new ProposalStore(dir));
  expect(stopped.map((p) => [p.delivery?.id, p.state])).toEqual([["d-old", "pending"]]);

  server = await startTestServer({}, { now: () => T + 60_000 }, dir);
  expect(server.recoveredJobs).toBe(1);
  await server.worker.idle();
  const after = await verdictProposals(server.proposals);
  const newer = after.find((p) => p.delivery?.id === "d-new")!;
  expect(after.map((p) => [p.delivery?.id, p.state]).sort()).toEqual([
    ["d-new", "pending"],
    ["d-old", "superseded"],
  ]);
  // The receipts the interrupted run wrote are not written again.
  expect((await receiptsOfProposal(log, newer.id)).map((r) => r.kind)).toEqual(["verdict", "proposal.proposed"]);
  expect((await receiptsOfProposal(log, older!.id)).map((r) => r.kind)).toEqual(["verdict", "proposal.proposed", "proposal.superseded"]);
  // `done` is appended without waiting; closing writes it.
  await server.cleanup();
  server = undefined;
  expect((await inbox()).filter((l) => l.delivery === "d-new").map((l) => l.type)).toEqual(["accepted", "done"]);
}, 60_000);


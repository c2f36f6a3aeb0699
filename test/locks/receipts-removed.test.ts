import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { receiptPaths } from "../../src/receipts/data-dir.js";
import { useFakeForgejo } from "../helpers/fake-forgejo.js";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";
import { deliveryRequest, payload, REPO, startTestServer, type TestServer } from "../helpers/server-harness.js";
import { verdictProposals } from "../helpers/verdict-proposals.js";

// The reviewer's case: receipts/ (log and head) deleted under a running server must not free its locks.
const forgejo = useFakeForgejo();
const T = Date.parse("2026-11-21T12:00:00Z");
let dir: string;
let server: TestServer | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-rcpt-gone-"));
  forgejo.fake.attach(forgejo.fake.issue(REPO, 3, { labels: ["gate/review"] }), "runtime-diagnostics.bundle.yaml", await readFile(fixture("examples/runtime-diagnostics.bundle.yaml")));
});
afterEach(async () => {
  await server?.cleanup();
  await rm(dir, { recursive: true, force: true });
});
// Each call is a new label change (the issue as it was then: other bytes), not a redelivery, which
// the intake would answer as a duplicate without judging anything.
const label = async (s: TestServer, id: string, at: string) => {
  const body = await payload("synthesized/issues__label_updated.json", (p) => (p.issue.updated_at = at));
  const response = await s.app.request("/webhooks/forgejo", deliveryRequest({ event: "issues", type: "issue_label", id, body }));
  expect({ status: response.status, body: await response.json() }).toMatchObject({ status: 202, body: { status: "accepted" } });
  await s.worker.idle();
};

it("the running gate does not take a removed receipts/ folder (log and head) for 'no locks held'", async () => {
  server = await startTestServer({}, { now: () => T }, dir);
  await server.locks.acquire({ target: { host: "iskra" }, owner: "piotr", reason: "repair approved", now: T - 60_000 });
  await label(server, "d-1", "2026-11-21T11:58:00Z");
  const [first] = await verdictProposals(server.proposals);
  expect(first!.verdict.reasons.map((r) => r.code)).toContain("target_locked");
  await rm(receiptPaths(dir).dir, { recursive: true });
  expect((await runCli(["receipts", "verify", "--data-dir", dir])).code).toBe(1);
  await label(server, "d-2", "2026-11-21T11:59:00Z");
  const second = (await verdictProposals(server.proposals)).find((p) => p.delivery?.id === "d-2");
  const verifyAfter = await runCli(["receipts", "verify", "--data-dir", dir]);
  expect({ secondVerdict: second?.verdict.verdict ?? "no proposal (refused)", verifyAfterNextAppend: verifyAfter.stdout.includes("intact") ? "intact" : "fails" }).toEqual({
    secondVerdict: "no proposal (refused)",
    verifyAfterNextAppend: "fails",
  });
  // The server's own lock decisions and appends refuse too, naming what happened.
  await expect(server.locks.status(T)).rejects.toThrow(/receipts: receipts\.jsonl and receipts\.head are both gone, but this process has seen receipts 1–\d+ there; the receipt log was removed/);
  await expect(server.locks.acquire({ target: { host: "other" }, owner: "piotr", reason: "r", now: T })).rejects.toThrow(/ReceiptLogDamagedError|both gone/);
  expect((await runCli(["receipts", "verify", "--data-dir", dir])).code).toBe(1);
});

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ForgejoWriter } from "../../src/forgejo/writer.js";
import { RepairLocks } from "../../src/locks/repair-locks.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { EvidenceStore } from "../../src/queue/evidence-store.js";
import { approveAsOperator } from "../../src/queue/operator-actions.js";
import { ProposalStore } from "../../src/queue/proposal-store.js";
import { ReceiptLog } from "../../src/receipts/receipt-log.js";
import type { Receipt } from "../../src/receipts/receipt-schema.js";
import { startChild, waitForOutput } from "../locks/spawn.js";
import { fixture } from "../helpers/paths.js";
import { tempDirs } from "../receipts/helpers.js";
import { verdictProposals } from "../helpers/verdict-proposals.js";

/**
 * Issue #5 §4, the approval half of the fault test: three processes propose and approve at once,
 * each killed with SIGKILL at a random moment and replaced, until over a thousand receipts were
 * written. Then an operator retries what was left half-approved, and: the chain verifies, no
 * approved or posted proposal lacks its receipts, no receipt is written twice, and Forgejo has
 * exactly one comment per posted proposal.
 */
const WORKER = fileURLToPath(new URL("./fixtures/approval-worker.mjs", import.meta.url));
const temp = tempDirs("approval-fault");
const NOW = "2026-11-21T12:00:00Z";
const TARGET_RECEIPTS = 1000;
const MIN_KILLS = 40;
const WORKERS = 3;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Forgejo's comment API, in this process: it outlives every killed worker, as the real one would. */
function startForgejo(): Promise<{ server: Server; url: string; comments: Array<{ id: number; issue: number; body: string }> }> {
  const comments: Array<{ id: number; issue: number; body: string }> = [];
  const server = createServer((req, res) => {
    const match = /^\/api\/v1\/repos\/iskra\/ops\/issues\/(\d+)\/comments$/.exec(req.url ?? "");
    if (match === null) return void res.writeHead(404).end();
    const issue = Number(match[1]);
    if (req.method === "GET") return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(comments.filter((c) => c.issue === issue)));
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const comment = { id: comments.length + 1, issue, body: (JSON.parse(body) as { body: string }).body };
      comments.push(comment);
      res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ ...comment, html_url: `http://forgejo.test/iskra/ops/issues/${issue}#issuecomment-${comment.id}` }));
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, comments })));
}

let forgejo: Awaited<ReturnType<typeof startForgejo>>;
beforeAll(async () => void (forgejo = await startForgejo()));
afterAll(() => new Promise<void>((done) => forgejo.server.close(() => done())));

describe("killing proposing and approving processes at random", () => {
  it("leaves a chain that verifies, every approval recorded, nothing twice", { timeout: 240_000 }, async () => {
    const dataDir = await temp();
    const template = fixture("examples/runtime-diagnostics.bundle.yaml");
    let kills = 0;
    let receipts = 0;

    const lifetime = async (name: string): Promise<void> => {
      const child = startChild(WORKER, [dataDir, name, forgejo.url, template, NOW]);
      // One kill in five while the process starts (opening, maybe repairing, the log); the rest at a
      // random moment while it proposes and approves.
      if (Math.random() < 0.2) await sleep(20 + Math.random() * 300);
      else await waitForOutput(child, "ready", 20_000).then(() => sleep(100 + Math.random() * 2400));
      child.process.kill("SIGKILL");
      await child.exited;
      kills++;
    };
    const live = new Map<string, Promise<void>>();
    let started = 0;
    while (receipts < TARGET_RECEIPTS || kills < MIN_KILLS) {
      expect(kills, "kills needed to reach the target").toBeLessThan(2000);
      while (live.size < WORKERS) {
        const name = `op${++started}`;
        live.set(name, lifetime(name).then(() => void live.delete(name)));
      }
      await Promise.race(live.values());
      receipts = (await readFile(`${dataDir}/receipts/receipts.jsonl`, "utf8").catch(() => "")).split("\n").length - 1;
    }
    await Promise.all(live.values());

    // The operator's morning: open the log (any torn tail is set aside) and finish every approval
    // a killed process left half done. One that never reached Forgejo, for a target and bundle a
    // newer proposal was made for since, is superseded instead: never posted after the newer one.
    const log = await ReceiptLog.open(dataDir, { onRepair: () => {} });
    const store = new ProposalStore(dataDir);
    const writer = new ForgejoWriter({ baseUrl: new URL(forgejo.url), token: "write-token", timeoutMs: 10_000, maxBytes: 1 << 20, fetch, retryDelayMs: 10 });
    const deps = { store, evidence: new EvidenceStore(dataDir), log, locks: new RepairLocks(log), policy: await readPolicy(), now: Date.parse(NOW), writer, actor: "piotr" };
    for (const proposal of (await store.list()).filter((p) => p.state === "approved")) {
      const outcome = await approveAsOperator(proposal.id, deps);
      if (outcome.kind === "refused") expect(outcome.reason, proposal.id).toMatch(/is superseded by `p_[0-9a-f]{20}`, a newer proposal for the same target and bundle\. Nothing was posted/);
      else expect(outcome, proposal.id).toMatchObject({ kind: "posted" });
    }
    expect((await store.list()).filter((p) => p.state === "approved")).toEqual([]);

    const verified = await log.verify();
    expect(verified).toMatchObject({ ok: true, tornTail: null, firstSeq: 1 });
    expect(verified.receipts).toBeGreaterThanOrEqual(TARGET_RECEIPTS);

    const all = (await readFile(log.paths.log, "utf8")).split("\n").filter((line) => line !== "").map((line) => JSON.parse(line) as Receipt);
    const byProposal = new Map<string, string[]>();
    for (const receipt of all) {
      if (receipt.kind === "lock.acquired" || receipt.kind === "lock.expired") continue;
      const id = (receipt as { proposal_id?: string }).proposal_id!;
      byProposal.set(id, [...(byProposal.get(id) ?? []), receipt.kind]);
    }
    for (const [id, kinds] of byProposal) expect(new Set(kinds).size, `${id}: ${kinds.join(", ")}`).toBe(kinds.length);

    const proposals = await verdictProposals(store);
    const posted = proposals.filter((p) => p.state === "posted");
    expect(posted.length, "approvals that went through").toBeGreaterThan(50);
    for (const proposal of proposals) {
      const kinds = byProposal.get(proposal.id) ?? [];
      expect(kinds.slice(0, 2), `${proposal.id} was recorded before it was queued`).toEqual(["verdict", "proposal.proposed"]);
      if (proposal.state === "posted") expect(kinds, proposal.id).toEqual(["verdict", "proposal.proposed", "proposal.approved", "proposal.posted"]);
      if (proposal.state === "pending") expect(kinds, proposal.id).not.toContain("proposal.posted");
    }
    // A lock on every approved target that has one; none for the targetless.
    const locked = new Set(all.filter((r) => r.kind === "lock.acquired").map((r) => (r as { proposal_id?: string }).proposal_id));
    for (const proposal of posted) expect(locked.has(proposal.id), proposal.id).toBe(proposal.verdict.target?.host !== undefined);

    // Forgejo: one comment per posted proposal, none for any other.
    const marked = forgejo.comments.map((c) => /patchwarden:proposal (p_[0-9a-f]+)/.exec(c.body)?.[1]);
    expect(new Set(marked).size, "no comment posted twice").toBe(marked.length);
    expect(new Set(marked)).toEqual(new Set(posted.map((p) => p.id)));
    expect(kills).toBeGreaterThanOrEqual(MIN_KILLS);
  });
});

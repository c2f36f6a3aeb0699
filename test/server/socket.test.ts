import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeForgejo, startMsw } from "../helpers/fake-forgejo.js";
import { fixture } from "../helpers/paths.js";
import { deliveryRequest, payload, REPO, startTestServer, type TestServer } from "../helpers/server-harness.js";
import { verdictProposals } from "../helpers/verdict-proposals.js";

const fake = new FakeForgejo();
const msw = startMsw(fake);
afterAll(() => msw.close());

let dir: string;
let server: TestServer | null = null;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-socket-"));
  const issue = fake.issue(REPO, 3, { labels: ["gate/review"] });
  fake.attach(issue, "diag.bundle.yaml", await readFile(fixture("examples/runtime-diagnostics.bundle.yaml")));
});
afterEach(async () => {
  await server?.cleanup();
  server = null;
  await rm(dir, { recursive: true, force: true });
});

const NOW = () => Date.parse("2026-11-21T12:00:00Z");
const start = async () => (server = await startTestServer({}, { listen: true, now: NOW }, dir));
const send = (init: RequestInit) => fetch(`${server!.url}/webhooks/forgejo`, init);

describe("over a real socket on loopback", () => {
  it("verifies, deduplicates and refuses exactly as in-process", async () => {
    await start();
    const body = await payload("synthesized/issues__label_updated.json");
    expect((await send(deliveryRequest({ event: "issues", type: "issue_label", id: "s-1", body }))).status).toBe(202);
    expect(await (await send(deliveryRequest({ event: "issues", type: "issue_label", id: "s-1", body }))).json()).toMatchObject({ status: "duplicate" });
    expect((await send(deliveryRequest({ event: "issues", id: "s-2", body, secret: "wrong-secret-wrong-secret-000" }))).status).toBe(401);
    expect((await send(deliveryRequest({ event: "issues", id: "s-3", body, contentType: "text/xml" }))).status).toBe(415);
    const big = await send(deliveryRequest({ event: "issues", id: "s-4", body: JSON.stringify({ x: "y".repeat(6 * 1024 * 1024) }) }));
    expect(big.status).toBe(413);
    expect((await fetch(`${server!.url}/healthz`)).status).toBe(200);
    await server!.worker.idle();
    expect((await verdictProposals(server!.proposals)).map((p) => p.verdict.verdict)).toEqual(["eligible_repair_dry_run"]);
  });

  it("shuts down at once although a client keeps an idle connection open (a browser on the review page)", async () => {
    await start();
    const { request } = await import("node:http");
    const agent = new (await import("node:http")).Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => request(`${server!.url}/healthz`, { agent }, (res) => res.resume().on("end", resolve)).on("error", reject).end());
    // A connection opened ahead of time that has sent nothing yet, as browsers keep one.
    const url = new URL(server!.url!);
    const { connect } = await import("node:net");
    const spare = connect(Number(url.port), url.hostname);
    await new Promise<void>((resolve) => spare.on("connect", resolve));
    const started = performance.now();
    await server!.close();
    server = null;
    expect(performance.now() - started).toBeLessThan(4_000);
    agent.destroy();
    spare.destroy();
  });

  it("remembers deliveries across a restart: a redelivery after it is still a duplicate", async () => {
    await start();
    const body = await payload("synthesized/issues__label_updated.json");
    expect(await (await send(deliveryRequest({ event: "issues", type: "issue_label", id: "r-1", body }))).json()).toMatchObject({ status: "accepted" });
    await server!.close();
    server = null;
    await start();
    expect(await (await send(deliveryRequest({ event: "issues", type: "issue_label", id: "r-1", body }))).json()).toMatchObject({ status: "duplicate" });
    await server!.worker.idle();
    expect(await server!.proposals.list()).toHaveLength(1);
  });

  it("stops without working through its backlog: the job under way finishes, the others run on the next start", async () => {
    // Forgejo answers only when the test says so, so the shutdown lands while the first job is reading.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let reads = 0;
    const heldFetch: typeof fetch = async (input, init) => {
      reads++;
      await released;
      return fetch(input, init);
    };
    server = await startTestServer({}, { listen: true, now: NOW, fetch: heldFetch }, dir);
    const ids = ["b-1", "b-2", "b-3", "b-4"];
    // Four label changes, not redeliveries: each sends the issue as it was then (other bytes).
    for (const [n, id] of ids.entries()) {
      const body = await payload("synthesized/issues__label_updated.json", (p) => (p.issue.updated_at = `2024-01-24T19:1${n}:00Z`));
      expect(await (await send(deliveryRequest({ event: "issues", type: "issue_label", id, body }))).json()).toMatchObject({ status: "accepted" });
    }
    while (reads === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const closing = server.close();
    release();
    await closing;
    server = null;
    const lines = (await readFile(join(dir, "inbox", "deliveries.jsonl"), "utf8")).trim().split("\n").map((line) => JSON.parse(line) as { type: string; delivery: string });
    expect(lines.filter((l) => l.type === "done").map((l) => l.delivery)).toEqual(["b-1"]);
    await start();
    expect(server!.recoveredJobs).toBe(3);
    await server!.worker.idle();
    const byDelivery = (await server!.proposals.list()).map((p) => p.delivery?.id).sort();
    expect(byDelivery).toEqual(ids);
  });

  it("finishes a job accepted before a crash, when it starts again, without duplicating", async () => {
    // A crash after the 202 and before evaluation leaves an `accepted` line with no `done`.
    const accepted = { type: "accepted", delivery: "c-1", received_at: "2026-11-21T11:59:00.000Z", event: "issues", event_type: "issue_label", job: { trigger: "label", repo: REPO, number: 3, isPull: false, sender: "root" } };
    await mkdir(join(dir, "inbox"), { recursive: true });
    await appendFile(join(dir, "inbox", "deliveries.jsonl"), `${JSON.stringify(accepted)}\n`);
    await start();
    expect(server!.recoveredJobs).toBe(1);
    await server!.worker.idle();
    const proposals = await server!.proposals.list();
    expect(proposals).toHaveLength(1);
    expect(proposals[0]!.delivery?.id).toBe("c-1");
    // Crash again after evaluation but before `done` was written: the job runs again, creating nothing new.
    const inbox = await readFile(join(dir, "inbox", "deliveries.jsonl"), "utf8");
    await server!.close();
    server = null;
    await writeFile(join(dir, "inbox", "deliveries.jsonl"), inbox.split("\n").filter((l) => !l.includes('"type":"done"')).join("\n"));
    await start();
    await server!.worker.idle();
    expect((await server!.proposals.list()).map((p) => p.id)).toEqual(proposals.map((p) => p.id));
  });

  it("sets aside a torn final line of the inbox instead of dropping it, and keeps running", async () => {
    await start();
    const body = await payload("synthesized/issues__label_updated.json");
    await send(deliveryRequest({ event: "issues", type: "issue_label", id: "t-1", body }));
    await server!.worker.idle();
    await server!.close();
    server = null;
    await appendFile(join(dir, "inbox", "deliveries.jsonl"), '{"type":"accepted","delivery":"t-2","rece');
    await start();
    const aside = (await readdir(join(dir, "inbox"))).filter((name) => name.startsWith("deliveries.torn-"));
    expect(aside).toHaveLength(1);
    expect(await readFile(join(dir, "inbox", aside[0]!), "utf8")).toBe('{"type":"accepted","delivery":"t-2","rece');
    expect(await (await send(deliveryRequest({ event: "issues", type: "issue_label", id: "t-1", body }))).json()).toMatchObject({ status: "duplicate" });
  });

  it("refuses to start a second server on the same data folder", async () => {
    await start();
    await expect(startTestServer({}, { listen: true, now: NOW }, dir)).rejects.toThrow(/another patchwarden serve \(pid \d+/);
  });
});

import { createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EvidenceSnapshot } from "../../src/evidence/snapshot.js";
import type { Logger } from "../../src/observability/logger.js";
import { proposalMarker } from "../../src/queue/compose-proposal.js";
import type { Proposal } from "../../src/queue/proposal.js";
import { receiptsOfProposal } from "../../src/receipts/proposal-receipts.js";
import { FakeForgejo, FORGEJO_ORIGIN, startMsw } from "../helpers/fake-forgejo.js";
import { REPO, startTestServer, type TestServer } from "../helpers/server-harness.js";
import { Client, EXAMPLE_TIME, hidden, propose, TOKENS } from "./helpers.js";

const fake = new FakeForgejo();
const msw = startMsw(fake);
afterAll(() => msw.close());

const WRITE_TOKEN = "forgejo-write-token-5d1e0c7a9b";
let now = EXAMPLE_TIME;
let logged: string[];
let server: TestServer;
let client: Client;

const capture: Logger = {
  info: (event, fields) => void logged.push(JSON.stringify({ event, ...fields })),
  warn: (event, fields) => void logged.push(JSON.stringify({ event, ...fields })),
  error: (event, fields) => void logged.push(JSON.stringify({ event, ...fields })),
};

beforeEach(async () => {
  now = EXAMPLE_TIME;
  logged = [];
  fake.issue(REPO, 3);
  fake.posted.length = 0;
  fake.failure = null;
  fake.writesAllowed = true;
  server = await startTestServer({ PATCHWARDEN_REVIEW_TOKENS: TOKENS }, { now: () => now, log: capture });
  client = new Client(server.app);
  await client.signIn();
});
afterEach(async () => {
  await server.cleanup();
  expect(fake.violations).toEqual([]);
});

/** The text of an element as the browser shows it: entities decoded. */
function decode(html: string): string {
  return html.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
}

function commentSource(page: string): string {
  return decode(/<pre class="comment">([\s\S]*?)<\/pre>/.exec(page)![1]!);
}

async function approve(proposal: Proposal, writeToken = WRITE_TOKEN): Promise<string> {
  const page = await (await client.get(`/review/${proposal.id}`)).text();
  const response = await client.post(`/review/${proposal.id}/approve`, { csrf: hidden(page, "csrf", `/review/${proposal.id}/approve`), write_token: writeToken });
  expect(response.status).toBe(303);
  expect(response.headers.get("location")).toBe(`/review/${proposal.id}`);
  return (await client.get(`/review/${proposal.id}`)).text();
}

function hostileSnapshot(): EvidenceSnapshot {
  const bundle = {
    schema: "patchwarden.evidence_bundle.v1",
    generated_at: "2026-11-21T11:56:00Z",
    producer: { name: "iskra-autoheal", host: "iskra" },
    candidate: { repair_class: "runtime_diagnostics", summary: '<script>alert("pw")</script> ping @alice & <b>now</b>', target: { host: "iskra", service: "openclaw-gateway.service" } },
    evidence: [
      { kind: "runtime-truth-report", subject: "<img src=x onerror=alert(1)>", generated_at: "2026-11-21T11:50:00Z", status: "pass", summary: "ok", data: { version: "1" } },
      { kind: "autoheal-dashboard", subject: "iskra", generated_at: "2026-11-21T11:55:00Z", status: "pass", summary: "no open incidents", data: { open_incidents: 0 } },
    ],
  };
  return { origin: `${REPO}#3, attachment <iframe src=//evil>.json @bob`, name: "hostile.bundle.json", bundle: Buffer.from(JSON.stringify(bundle)), artifacts: new Map() };
}

describe("what the page shows", () => {
  it("names a proposal file it cannot read instead of failing the whole list, and still lists the rest", async () => {
    const good = await propose(server, "examples/runtime-diagnostics.bundle.yaml");
    const damaged = await propose(server, "openclaw-runs/blocked-no-attestation", { target: { repo: REPO, kind: "pull", number: 7 } });
    const file = join(server.dataDir, "queue", "proposals", `${damaged.id}.json`);
    await writeFile(file, "{ half a file");
    const response = await client.get("/review");
    expect(response.status).toBe(200);
    const page = decode(await response.text());
    expect(page).toContain(good.id);
    expect(page).toContain("1 proposal file could not be read");
    expect(page).toContain(file);
    // The detail page of a readable proposal does not fail on its damaged neighbour either.
    expect((await client.get(`/review/${good.id}`)).status).toBe(200);
  });

  it("lists pending proposals first, each with a verdict badge in words, its target linked to Forgejo, origin and age", async () => {
    const older = await propose(server, "examples/runtime-diagnostics.bundle.yaml", { now: EXAMPLE_TIME - 120_000 });
    await server.proposals.transition(older.id, ["pending"], "rejected", "alice", "2026-11-21T11:59:00Z", "test");
    const blocked = await propose(server, "openclaw-runs/blocked-no-attestation", { target: { repo: REPO, kind: "pull", number: 7 }, now: EXAMPLE_TIME - 60_000 });
    const page = await (await client.get("/review")).text();
    const pendingAt = page.indexOf("Waiting for review");
    const pastAt = page.indexOf("Past proposals");
    expect(page.indexOf(blocked.id)).toBeGreaterThan(pendingAt);
    expect(page.indexOf(blocked.id)).toBeLessThan(pastAt);
    expect(page.indexOf(older.id)).toBeGreaterThan(pastAt);
    expect(page).toContain('<span class="badge blocked" title="blocked">✕ blocked</span>');
    expect(page).toContain('<span class="badge eligible_repair_dry_run" title="eligible_repair_dry_run">✓ eligible (dry run)</span>');
    expect(page).toContain(`<a href="${FORGEJO_ORIGIN}/${REPO}/pulls/7">${REPO}#7</a>`);
    expect(page).toContain(`<a href="${FORGEJO_ORIGIN}/${REPO}/issues/3">${REPO}#3</a>`);
    expect(page).toContain("1m ago");
  });

  it("shows a proposal: reasons, evidence with ages, digests, validity, the comment exactly as it would be posted, history and receipts", async () => {
    const proposal = await propose(server, "examples/runtime-diagnostics.bundle.yaml");
    const other = await propose(server, "openclaw-runs/green", { now: EXAMPLE_TIME - 7_200_000 });
    const page = await (await client.get(`/review/${proposal.id}`)).text();
    for (const reason of proposal.verdict.reasons) expect(page).toContain(`<code>${reason.code}</code>`);
    expect(page).toContain("<code>runtime-truth-report</code>");
    expect(page).toContain("<code>openclaw-gateway</code>");
    expect(page).toContain(proposal.verdict.bundle.digest!);
    expect(page).toContain(proposal.verdict.policy.digest);
    expect(page).toContain(`patchwarden-verdict-engine ${proposal.verdict.engine.version}`);
    expect(page).toContain(proposal.evidence_ref);
    expect(page).toContain("2026-11-21 12:25:00 UTC"); // valid until
    // The class as the policy describes it, as the comment preview shows it.
    const repair = proposal.verdict.repair!;
    expect(page).toContain(`<dt>class risk</dt><dd><code>${repair.risk}</code></dd>`);
    expect(decode(page)).toContain(`<dt>executor</dt><dd>${repair.executor}</dd>`);
    expect(page).toContain('<dt>postchecks</dt><dd><span class="muted">none</span></dd>');
    const upgrade = other.verdict.repair!;
    const otherPage = decode(await (await client.get(`/review/${other.id}`)).text());
    expect(otherPage).toContain(`<dt>class risk</dt><dd><code>high</code></dd>`);
    expect(upgrade.postchecks.length).toBe(4);
    for (const check of upgrade.postchecks) expect(otherPage).toContain(`<li>${check}</li>`);
    expect(commentSource(page)).toBe((proposal.post as { body: string }).body);
    expect(page).toContain("<code>proposal.proposed</code>");
    expect(page).toContain(`href="/review/${other.id}"`); // the other proposal for the same issue
    expect(page).toContain('action="/review/' + proposal.id + '/approve"');
    expect(page).toContain('type="password" id="write_token" name="write_token" autocomplete="off"');
  });

  it("shows hostile bundle text as text: no markup gets through, and @mentions stay words", async () => {
    const proposal = await propose(server, hostileSnapshot());
    for (const path of ["/review", `/review/${proposal.id}`]) {
      const page = await (await client.get(path)).text();
      expect(page).not.toMatch(/<script|<img|<iframe|<b>now/i);
      expect(page).toContain("&lt;script&gt;alert(&quot;pw&quot;)&lt;/script&gt; ping @alice &amp; &lt;b&gt;now&lt;/b&gt;");
      expect(page).toContain("&lt;iframe src=//evil&gt;.json @bob");
      expect(page).not.toMatch(/href="[^"]*(alice|bob|evil)/);
    }
    const detail = await (await client.get(`/review/${proposal.id}`)).text();
    expect(detail).toContain("&lt;img src=x onerror=alert(1)&gt;");
    // The comment is the markdown source, escaped for HTML, never rendered: and it pings nobody.
    expect(commentSource(detail)).toBe((proposal.post as { body: string }).body);
    expect(commentSource(detail)).not.toMatch(/@alice|@bob/);
  });

  it("sends the security headers on every review response, and the CSP allows exactly the inline stylesheet", async () => {
    const proposal = await propose(server, "examples/runtime-diagnostics.bundle.yaml");
    const anonymous = new Client(server.app);
    const responses = [
      await client.get("/review"),
      await client.get(`/review/${proposal.id}`),
      await client.get("/review/p_00000000000000000000"),
      await client.get("/review/nothing-here"),
      await anonymous.get("/review/login"),
      await anonymous.post(`/review/${proposal.id}/approve`, {}),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 200, 404, 404, 200, 401]);
    for (const response of responses) {
      const csp = response.headers.get("content-security-policy")!;
      expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'$/);
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("cache-control")).toBe("no-store");
      const page = await response.text();
      expect(page).toMatch(/^<!doctype html>/);
      expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1"/>');
      expect(page).not.toContain("<script");
      const style = /<style>([\s\S]*?)<\/style>/.exec(page)![1]!;
      expect(csp).toContain(`'sha256-${createHash("sha256").update(style).digest("base64")}'`);
    }
  });
});

describe("approving from the page", () => {
  it("re-checks, posts the comment once, records receipts with the operator as actor, and says so", async () => {
    const proposal = await propose(server, "examples/runtime-diagnostics.bundle.yaml");
    const page = await approve(proposal);
    expect(fake.posted).toHaveLength(1);
    expect(fake.posted[0]!.body).toBe((proposal.post as { body: string }).body);
    expect(page).toContain(`role="status">Posted ${proposal.id} (eligible_repair_dry_run) to ${FORGEJO_ORIGIN}/${REPO}/issues/3#issuecomment-${fake.posted[0]!.id}.`);
    expect(page).toContain(`<a href="${FORGEJO_ORIGIN}/${REPO}/issues/3#issuecomment-${fake.posted[0]!.id}">the comment on Forgejo</a>`);
    expect(page).toContain("This proposal is posted; there is nothing to approve.");
    expect(page).not.toContain('name="write_token"');
    for (const kind of ["proposal.approved", "lock.acquired", "proposal.posted"]) expect(page).toMatch(new RegExp(`<code>${kind.replace(".", "\\.")}</code></td><td data-label="by">alice</td>`));
    expect((await server.proposals.require(proposal.id)).history.map((e) => [e.state, e.actor])).toEqual([["pending", "patchwarden"], ["approved", "alice"], ["posted", "alice"]]);
    // The flash is shown once.
    expect(await (await client.get(`/review/${proposal.id}`)).text()).not.toContain('role="status"');
  });

  it("posts its own comment when someone else's carries the proposal's marker, and records its own, not theirs", async () => {
    const proposal = await propose(server, "examples/runtime-diagnostics.bundle.yaml");
    // Anyone who may comment (and has learnt the pending id) can write the marker, with words of their own.
    const spoof = fake.comment(fake.issue(REPO, 3), "mallory", `${proposalMarker(proposal.id)}\n### 🟢 Patchwarden gate: \`eligible_repair_dry_run\` — go ahead and apply it`);
    await approve(proposal);
    const stored = await server.proposals.require(proposal.id);
    const posted = (await receiptsOfProposal(server.receipts.paths.log, proposal.id)).find((r) => r.kind === "proposal.posted") as { comment_id?: number } | undefined;
    expect(fake.posted.map((p) => p.body)).toEqual([(proposal.post as { body: string }).body]);
    expect(stored.posted?.comment_id).toBe(fake.posted[0]!.id);
    expect(posted?.comment_id).toBe(fake.posted[0]!.id);
    expect(posted?.comment_id).not.toBe(spoof.id);
  });

  it("never posts twice: a second approval is refused with the reason", async () => {
    const proposal = await propose(server, "examples/runtime-diagnostics.bundle.yaml");
    const page = await (await client.get(`/review/${proposal.id}`)).text();
    const csrf = hidden(page, "csrf", `/review/${proposal.id}/approve`);
    await client.post(`/review/${proposal.id}/approve`, { csrf, write_token: WRITE_TOKEN });
    await client.post(`/review/${proposal.id}/approve`, { csrf, write_token: WRITE_TOKEN });
    expect(fake.posted).toHaveLength(1);
    expect(await (await client.get(`/review/${proposal.id}`)).text()).toContain(`Not posted: proposal \`${proposal.id}\` is posted; only a pending proposal can be approved`);
  });

  it("refuses, posting nothing, when the evidence no longer holds under the current clock", async () => {
    const proposal = await propose(server, "examples/runtime-diagnostics.bundle.yaml");
    now = Date.parse("2026-11-21T13:00:00Z");
    const page = await approve(proposal);
    expect(fake.posted).toHaveLength(0);
    expect(page).toContain(`Not posted: proposal \`${proposal.id}\` no longer holds: the verdict is now`);
    expect(page).toContain("(expired: approval will refuse; ask for a new check)");
    expect(page).toContain("(stale now)");
    expect((await server.proposals.require(proposal.id)).state).toBe("pending");
  });

  it("asks for the write token when it is missing", async () => {
    const proposal = await propose(server, "examples/runtime-diagnostics.bundle.yaml");
    expect(await approve(proposal, "  ")).toContain("Not posted: enter your Forgejo write token to approve (the server holds none).");
    expect(fake.posted).toHaveLength(0);
  });

  it("never stores, logs or shows the write token, even when Forgejo refuses it", async () => {
    const proposal = await propose(server, "examples/runtime-diagnostics.bundle.yaml");
    fake.failure = 401;
    const page = await approve(proposal);
    expect(page).toContain("The approval stopped: reading the comments of root/example-push#3: Forgejo refused the write token (401)");
    expect(page).not.toContain(WRITE_TOKEN);
    expect(logged.some((line) => line.includes("review.approve_failed"))).toBe(true);
    expect(logged.join("\n")).not.toContain(WRITE_TOKEN);
    const { readFile, readdir } = await import("node:fs/promises");
    const files = await readdir(server.dataDir, { recursive: true, withFileTypes: true });
    for (const file of files.filter((f) => f.isFile())) expect(await readFile(`${file.parentPath}/${file.name}`, "utf8"), file.name).not.toContain(WRITE_TOKEN);
    expect(client.cookies.get("pw_review_flash") ?? "").not.toContain(WRITE_TOKEN);
  });
});

describe("rejecting from the page", () => {
  it("records the reason and the operator, posts nothing, and shows the reason as text", async () => {
    const proposal = await propose(server, "examples/runtime-diagnostics.bundle.yaml");
    const page = await (await client.get(`/review/${proposal.id}`)).text();
    const response = await client.post(`/review/${proposal.id}/reject`, { csrf: hidden(page, "csrf", `/review/${proposal.id}/reject`), reason: "evidence from the wrong host <script>x</script>" });
    expect(response.status).toBe(303);
    const after = await (await client.get(`/review/${proposal.id}`)).text();
    expect(after).toContain(`role="status">Rejected ${proposal.id}; nothing was posted.`);
    expect(after).toContain("evidence from the wrong host &lt;script&gt;x&lt;/script&gt;");
    expect(after).toMatch(/<code>proposal\.rejected<\/code><\/td><td data-label="by">alice<\/td>/);
    expect(await server.proposals.require(proposal.id)).toMatchObject({ state: "rejected", history: [{ state: "pending" }, { state: "rejected", actor: "alice", reason: "evidence from the wrong host <script>x</script>" }] });
    expect(fake.posted).toHaveLength(0);
  });

  it("asks for a reason", async () => {
    const proposal = await propose(server, "examples/runtime-diagnostics.bundle.yaml");
    const page = await (await client.get(`/review/${proposal.id}`)).text();
    await client.post(`/review/${proposal.id}/reject`, { csrf: hidden(page, "csrf", `/review/${proposal.id}/reject`), reason: " " });
    expect(await (await client.get(`/review/${proposal.id}`)).text()).toContain("Not rejected: say why, so the history shows it.");
    expect((await server.proposals.require(proposal.id)).state).toBe("pending");
  });
});

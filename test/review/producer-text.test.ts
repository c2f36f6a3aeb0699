import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EvidenceSnapshot } from "../../src/evidence/snapshot.js";
import { proposeWhatIf } from "../../src/queue/propose-what-if.js";
import { trustHooks } from "../../src/receipts/proposal-recorder.js";
import { FakeForgejo, startMsw } from "../helpers/fake-forgejo.js";
import { REPO, startTestServer, type TestServer } from "../helpers/server-harness.js";
import { Client, EXAMPLE_TIME, propose, TOKENS } from "./helpers.js";
import { readPolicy } from "../../src/policy/read-policy.js";

const fake = new FakeForgejo();
const msw = startMsw(fake);
afterAll(() => msw.close());

let server: TestServer;
let client: Client;

beforeEach(async () => {
  fake.issue(REPO, 3);
  server = await startTestServer({ PATCHWARDEN_REVIEW_TOKENS: TOKENS }, { now: () => EXAMPLE_TIME });
  client = new Client(server.app);
  await client.signIn();
});
afterEach(async () => {
  await server.cleanup();
});

const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** Invisible format characters; the page's own text has none (its comment's `@\u200b` stays, as posted). */
const INVISIBLE = /(?<!@)\u200b|[\u00ad\u200c\u200d\u2060\ufeff]/;

/**
 * A fresh, otherwise valid bundle whose producer-written text carries `mark` (a right-to-left
 * override, say) in its summary and origin; with `inNames`, in the target and a subject too, which
 * the contract refuses (test/evidence/plain-name.test.ts), so the page shows the refusal.
 */
function snapshotWith(mark: string, inNames = false): EvidenceSnapshot {
  const name = inNames ? mark : "";
  const bundle = {
    schema: "patchwarden.evidence_bundle.v1",
    generated_at: "2026-11-21T11:56:00Z",
    producer: { name: "iskra-autoheal", host: "iskra" },
    candidate: {
      repair_class: "runtime_diagnostics",
      // With U+202E a browser displays "Collect doctor output, restart the gateway, read-only": not what the text says.
      summary: `Collect doctor output, ${mark}ylno-daer ,yawetag eht tratser`,
      target: { host: `iskra${name}1-`, service: `x${name}ecivres.yawetag-walcnepo` },
    },
    evidence: [
      { kind: "runtime-truth-report", subject: `x${name}yawetag-walcnepo`, generated_at: "2026-11-21T11:50:00Z", status: "pass", summary: "ok", data: { version: "1" } },
      { kind: "autoheal-dashboard", subject: "iskra", generated_at: "2026-11-21T11:55:00Z", status: "pass", summary: "no open incidents", data: { open_incidents: 0 } },
    ],
  };
  return { origin: `${REPO}#3, attachment x${mark}nosj.eldnub.json`, name: "reorder.bundle.json", bundle: Buffer.from(JSON.stringify(bundle)), artifacts: new Map() };
}

describe("producer-written text on the review page", () => {
  // The comment strips bidi controls from producer text (UNSAFE_CHARACTERS), and says so; the review
  // page, where the operator actually decides, showed the candidate summary, repair target, evidence
  // subjects and origin with their U+202E intact, so the browser displayed them reversed: the
  // operator approved a summary and target that read differently from the stored text.
  it("shows no producer-written bidirectional control, on the list or the proposal", async () => {
    const proposal = await propose(server, snapshotWith("\u202e"));
    // The comment that would be posted is clean: only the page let the override through.
    expect((proposal.post as { body: string }).body).not.toMatch(BIDI);
    for (const path of ["/review", `/review/${proposal.id}`]) {
      const page = await (await client.get(path)).text();
      expect(page).toContain("Collect doctor output");
      expect(page).not.toMatch(BIDI);
    }
  });

  it("writes each one out, so the operator sees it was there", async () => {
    const proposal = await propose(server, snapshotWith("\u202e"));
    const list = await (await client.get("/review")).text();
    expect(list).toContain("Collect doctor output, \\u202eylno-daer");
    expect(list).toContain("x\\u202enosj.eldnub.json");
    const page = await (await client.get(`/review/${proposal.id}`)).text();
    expect(page).toContain("x\\u202enosj.eldnub.json");
  });

  it("writes out the character in a refused target host or subject, in the refusal's message", async () => {
    const proposal = await propose(server, snapshotWith("\u202e", true));
    expect(proposal.verdict.verdict).toBe("blocked");
    const page = await (await client.get(`/review/${proposal.id}`)).text();
    expect(page).not.toMatch(BIDI);
    expect(page).toContain("iskra\\u202e1-");
    expect(page).toContain("x\\u202eyawetag-walcnepo");
  });

  // A zero-width space or joiner makes `isk\u200bra` look like `iskra`, a different host to the gate
  // (a repair lock on one does not cover the other).
  it.each([
    ["a zero-width space", "\u200b", "\\u200b"],
    ["a zero-width joiner", "\u200d", "\\u200d"],
    ["a word joiner", "\u2060", "\\u2060"],
    ["a soft hyphen", "\u00ad", "\\xad"],
  ])("shows %s in an origin, and in a refused host", async (_what, mark, shown) => {
    const proposal = await propose(server, snapshotWith(mark));
    for (const path of ["/review", `/review/${proposal.id}`]) {
      const page = await (await client.get(path)).text();
      expect(page).not.toMatch(INVISIBLE);
      expect(page).toContain(`x${shown}nosj.eldnub.json`);
    }
    const refused = await propose(server, snapshotWith(mark, true));
    const page = await (await client.get(`/review/${refused.id}`)).text();
    expect(page).not.toMatch(INVISIBLE);
    expect(page).toContain(`iskra${shown}1-`);
  });

  it("writes out a control or bidirectional character in a pushed policy file's name", async () => {
    const trust = trustHooks(server.receipts, server.locks, () => EXAMPLE_TIME, { actor: "patchwarden" });
    const path = "policies/x\u202elmot.\u200bv0.toml";
    const proposal = await proposeWhatIf({ path, ref: "ef98532add3b2feb7a137426bba1248724367df5", bytes: Buffer.from('schema = "patchwarden.policy.v0"\nname = "x"\n') }, { repo: REPO, kind: "pull", number: 2 }, { trigger: "pull_request", delivery: { id: "d-pr", event: "pull_request" }, idSeed: "d-pr" }, { running: await readPolicy(),
      dataDir: server.dataDir,
      proposals: server.proposals,
      now: EXAMPLE_TIME,
      actor: "patchwarden",
      outputs: new Set(["queue"]),
      printLine: () => {},
      record: trust.recordWhatIf,
    });
    for (const page of [await (await client.get("/review")).text(), await (await client.get(`/review/${proposal.id}`)).text()]) {
      expect(page).toContain("<code>policies/x\\u202elmot.\\u200bv0.toml</code>");
      expect(page).not.toMatch(BIDI);
      expect(page).not.toMatch(INVISIBLE);
    }
  });
});

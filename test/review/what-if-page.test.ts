import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { SHIPPED_POLICY_PATH } from "../../src/policy/read-policy.js";
import { proposeWhatIf } from "../../src/queue/propose-what-if.js";
import type { WhatIfProposal } from "../../src/queue/proposal.js";
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
  server = await startTestServer({ PATCHWARDEN_REVIEW_TOKENS: TOKENS }, { now: () => EXAMPLE_TIME });
  client = new Client(server.app);
  await client.signIn();
});
afterEach(() => server.cleanup());

async function whatIf(policy: string): Promise<WhatIfProposal> {
  const trust = trustHooks(server.receipts, server.locks, () => EXAMPLE_TIME, { actor: "patchwarden" });
  return proposeWhatIf({ path: "policies/iskra-openclaw.v0.toml", ref: "ef98532add3b2feb7a137426bba1248724367df5", bytes: Buffer.from(policy) }, { repo: REPO, kind: "pull", number: 2 }, { trigger: "pull_request", delivery: { id: "d-pr", event: "pull_request" }, idSeed: "d-pr" }, { running: await readPolicy(),
    dataDir: server.dataDir,
    proposals: server.proposals,
    now: EXAMPLE_TIME,
    actor: "patchwarden",
    outputs: new Set(["queue"]),
    printLine: () => {},
    record: trust.recordWhatIf,
  });
}

describe("a policy what-if on the review page", () => {
  it("is listed with what it would do, and shows the candidate, the counts and the comment as it would be posted", async () => {
    await propose(server, "examples/runtime-diagnostics.bundle.yaml");
    const stricter = (await readFile(SHIPPED_POLICY_PATH, "utf8")).replace('[evidence.runtime-truth-report]\nmax_age = "1h"', '[evidence.runtime-truth-report]\nmax_age = "5m"');
    const proposal = await whatIf(stricter);
    expect(proposal.what_if).toMatchObject({ replayed: 1, loosened: 0, tightened: 1 });
    const list = await (await client.get("/review")).text();
    expect(list).toContain("✓ what-if: none looser");
    expect(list).toContain("policy change <code>policies/iskra-openclaw.v0.toml</code>");
    const page = await (await client.get(`/review/${proposal.id}`)).text();
    expect(page).toContain("<dt>policy what-if</dt>");
    expect(page).toContain("1 past verdict (receipts 1–2): <strong>0 looser</strong>, 1 stricter");
    expect(page).toContain("The comment below lists every verdict that would change");
    expect(page).toContain("| stricter | `eligible_repair_dry_run` | `blocked` | 1 |");
    expect(page).not.toContain("<h2>Reasons</h2>");
  });

  it("a candidate looser only in its settings (no past verdict shows it) is badged looser, not none looser", async () => {
    const looser = (await readFile(SHIPPED_POLICY_PATH, "utf8")).replace('[evidence.autoheal-dashboard]\nmax_age = "30m"', '[evidence.autoheal-dashboard]\nmax_age = "2h"');
    const proposal = await whatIf(looser);
    expect(proposal.what_if).toMatchObject({ replayed: 0, loosened: 0, looser_settings: 1 });
    const list = await (await client.get("/review")).text();
    expect(list).toContain("⚠ what-if: 1 looser setting");
    expect(list).not.toContain("none looser");
    const page = await (await client.get(`/review/${proposal.id}`)).text();
    expect(page).toContain('<span class="badge needs_human" title="policy what-if">⚠ what-if: 1 looser setting</span>');
    expect(page).toContain("<dt>settings</dt><dd><strong>1 looser</strong> than the running policy</dd>");
  });

  it("a what-if written before settings were counted is badged as not compared, never none looser", async () => {
    const stricter = (await readFile(SHIPPED_POLICY_PATH, "utf8")).replace('[evidence.runtime-truth-report]\nmax_age = "1h"', '[evidence.runtime-truth-report]\nmax_age = "5m"');
    const proposal = await whatIf(stricter);
    const path = join(server.dataDir, "queue", "proposals", `${proposal.id}.json`);
    const file = JSON.parse(await readFile(path, "utf8")) as { what_if: Record<string, unknown> };
    delete file.what_if["looser_settings"];
    await writeFile(path, JSON.stringify(file));
    const page = await (await client.get(`/review/${proposal.id}`)).text();
    expect(page).toContain("⚠ what-if: settings not compared");
    expect(page).not.toContain("none looser");
    expect(page).toContain("not compared with the running policy (proposed before they were)");
  });

  it("an invalid candidate shows why, and is badged as such", async () => {
    const proposal = await whatIf('schema = "patchwarden.policy.v0"\nname = "x"\n');
    const page = await (await client.get(`/review/${proposal.id}`)).text();
    expect(page).toContain("✕ what-if: not replayed");
    expect(page).toContain("<h2>Why the policy is not valid</h2>");
  });
});

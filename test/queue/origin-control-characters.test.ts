import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readEvidenceSnapshot } from "../../src/evidence/read-evidence.js";
import { snapshotToInput } from "../../src/evidence/snapshot.js";
import { UNSAFE_CHARACTER } from "../../src/markdown/unsafe-characters.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { composeProposal } from "../../src/queue/compose-proposal.js";
import { ProposalStore } from "../../src/queue/proposal-store.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

// The origin of a PR or push bundle holds a path the pusher chose: escape sequences and bidirectional
// controls in it reach neither the proposed comment nor the operator's terminal through `queue show`.
const NOW = Date.parse("2026-11-21T12:00:00Z");
// ESC[1A ESC[2K: cursor up one line, erase it -- rewrites what the operator sees above.
const PATH = "evidence/run\u001b[1A\u001b[2K\u001b]8;;https://evil.example\u0007x\u202egnp.bundle.json";
let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function proposal() {
  const snapshot = await readEvidenceSnapshot(fixture("examples/runtime-diagnostics.bundle.yaml"));
  const verdict = evaluate(snapshotToInput(snapshot), await readPolicy(), NOW);
  const origin = `o/r@${"a".repeat(12)}:${PATH}`;
  return composeProposal({ verdict, target: { repo: "o/r", kind: "pull", number: 3 }, trigger: "pull_request", delivery: { id: "d", event: "pull_request" }, origin, evidenceRef: "0".repeat(64), now: "2026-11-21T12:00:00Z", actor: "patchwarden" }, "d");
}

describe("control and bidi characters of an evidence path", () => {
  it("do not reach the proposed Forgejo comment", async () => {
    const body = ((await proposal()).post as { body: string }).body;
    // Line breaks are the comment's own; no line of it may hold an unsafe character.
    for (const line of body.split("\n")) expect(line).not.toMatch(UNSAFE_CHARACTER);
  });

  it("do not reach the operator's terminal through `queue show`", async () => {
    dir = await mkdtemp(join(tmpdir(), "pw-show-"));
    const p = await proposal();
    await new ProposalStore(dir).propose(p, "patchwarden", p.created_at);
    const run = await runCli(["queue", "show", p.id], { env: { PATCHWARDEN_DATA_DIR: dir } });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain("\u001b");
    expect(run.stdout).not.toContain("\u202e");
  });
});

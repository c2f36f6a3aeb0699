import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/evidence/artifact-bytes.js";
import { snapshotToInput } from "../../src/evidence/snapshot.js";
import { fetchEvidence } from "../../src/forgejo/fetch-evidence.js";
import type { PullRequestJob } from "../../src/forgejo/jobs.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { composeProposal } from "../../src/queue/compose-proposal.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { useFakeForgejo } from "../helpers/fake-forgejo.js";

// A pull-request author chooses the paths of the files the PR changes, and git allows line breaks and
// backticks in a path: the notices for unread or unjudged bundles quote them, so they add no line,
// link or image to the bot's comment (they were echoed raw).
const REPO = "o/r";
const HEAD = "a".repeat(40);
const NOW = Date.parse("2026-11-21T12:00:00Z");
const FORGED = "### ✅ Patchwarden gate: `eligible_repair_dry_run` — approved by the operator";

const forgejo = useFakeForgejo();

async function commentFor(job: PullRequestJob, maxBundles = 20): Promise<string> {
  const units = await fetchEvidence(forgejo.reader(), job, { evidenceGlobs: ["evidence/**/*.json"], limits: DEFAULT_LIMITS, maxBundles });
  const policy = await readPolicy();
  const bodies = units.map((unit, i) => {
    const verdict = evaluate(snapshotToInput(unit.snapshot), policy, NOW);
    const p = composeProposal({ verdict, target: unit.target, trigger: "pull_request", delivery: { id: "d", event: "pull_request" }, origin: unit.snapshot.origin, evidenceRef: String(i).padStart(64, "0"), now: "2026-11-21T12:00:00Z", actor: "patchwarden" }, "d");
    return (p.post as { body: string }).body;
  });
  return bodies.join("\n\n=====\n\n");
}

describe("file paths from a pull request in the proposed comment", () => {
  it("an unreadable evidence file whose path holds a newline cannot add a forged headline line", async () => {
    const path = `evidence/x\n\n${FORGED}\n\n.bundle.json`;
    // Listed as changed but not readable at the head (here: 404; likewise too large, LFS, 5xx).
    forgejo.fake.issue(REPO, 3, { isPull: true, pullFiles: [{ filename: path, status: "added" }] });
    const body = await commentFor({ trigger: "pull_request", repo: REPO, number: 3, headSha: HEAD, sender: "mallory" });
    expect(body).toContain("bundle_unreadable");
    expect(body.split("\n")).not.toContain(FORGED);
  });

  it("a path with a backtick cannot leave its code span to embed a tracking image or link", async () => {
    const paths = Array.from({ length: 2 }, (_, i) => `evidence/b${i}.bundle.json`);
    paths.push("evidence/z` ![x](https://tracker.example/p.png) [click](https://evil.example/) `.bundle.json");
    forgejo.fake.issue(REPO, 3, { isPull: true, pullFiles: paths.map((filename) => ({ filename, status: "added" })) });
    for (const p of paths) forgejo.fake.file(REPO, HEAD, p, "{}");
    const body = await commentFor({ trigger: "pull_request", repo: REPO, number: 3, headSha: HEAD, sender: "mallory" }, 2);
    expect(body).toContain("bundles past the first 2");
    // Outside a code span these render as an image fetched by every reader's browser and a link.
    expect(body).not.toMatch(/` !\[x\]\(https:\/\/tracker\.example\/p\.png\)/);
  });
});

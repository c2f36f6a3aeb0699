import { readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { approveAsOperator } from "../../src/queue/operator-actions.js";
import { fixture } from "../helpers/paths.js";
import { BUNDLE, EXAMPLE_TIME, REPO, useQueue } from "../queue/helpers.js";

const q = useQueue();
const HOURS = 60 * 60 * 1000;

/** Rewrites a stored proposal as someone with write access to the data folder could (as approval-tamper.test.ts does). */
async function edit(id: string, change: (proposal: Record<string, unknown>) => void): Promise<void> {
  const path = join(q.dir, "queue", "proposals", `${id}.json`);
  const proposal = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
  change(proposal);
  await writeFile(path, `${JSON.stringify(proposal, null, 2)}\n`);
}

/** The example bundle with every time three hours later: fresh at EXAMPLE_TIME + 3 h, when BUNDLE is stale. */
async function laterBundle(): Promise<string> {
  const path = join(q.dir, "later.bundle.yaml");
  await writeFile(path, (await readFile(fixture(BUNDLE), "utf8")).replaceAll("2026-11-21T11:", "2026-11-21T14:"));
  // q.propose reads the bundle from under fixtures/.
  return relative(fixture(""), path);
}

describe("approval judges the evidence the proposal was made from", () => {
  it("refuses a proposal file pointed at other stored evidence: the bundle digest differs", async () => {
    const first = await q.propose({ seed: "first" });
    q.fake.issue(REPO, 4);
    const second = await q.propose({ seed: "second", bundle: await laterBundle(), target: { repo: REPO, kind: "issue", number: 4 }, now: EXAMPLE_TIME + 3 * HOURS });
    expect(first.verdict.verdict).toBe(second.verdict.verdict);
    expect(first.bundle_digest).not.toBe(second.bundle_digest);
    await edit(first.id, (p) => void (p["evidence_ref"] = second.evidence_ref));
    const outcome = await approveAsOperator(first.id, await q.operatorDeps({ now: EXAMPLE_TIME + 3 * HOURS + 60_000 }));
    expect(outcome).toMatchObject({ kind: "refused", reason: expect.stringMatching(/bundle digest/) });
    expect(q.fake.posted).toEqual([]);
  });

  it("refuses a proposal file whose evidence_ref and bundle_digest were both edited to fresher evidence: its proposal.proposed receipt records the originals", async () => {
    // The receipt (hash-chained, maybe signed) records evidence_ref and bundle_digest: re-judging
    // another, fresh snapshot in the stale one's place would approve stale evidence.
    const first = await q.propose({ seed: "stale" });
    q.fake.issue(REPO, 4);
    const second = await q.propose({ seed: "fresh", bundle: await laterBundle(), target: { repo: REPO, kind: "issue", number: 4 }, now: EXAMPLE_TIME + 3 * HOURS });
    await edit(first.id, (p) => {
      p["evidence_ref"] = second.evidence_ref;
      p["bundle_digest"] = second.bundle_digest;
    });
    const outcome = await approveAsOperator(first.id, await q.operatorDeps({ now: EXAMPLE_TIME + 3 * HOURS + 60_000 }));
    expect(outcome).toMatchObject({ kind: "refused", reason: expect.stringMatching(new RegExp(`^not approved: the \`evidence_ref\` of proposal \`${first.id}\` is \`${second.evidence_ref}\`, but its \`proposal.proposed\` receipt \\(receipt \\d+\\) records \`${first.evidence_ref}\`; the proposal file was changed after it was proposed, so reject it and ask for a new gate check$`)) });
    expect(q.fake.posted).toEqual([]);
  });
});

import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readEvidenceSnapshot } from "../../src/evidence/read-evidence.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { approveAsOperator } from "../../src/queue/operator-actions.js";
import { proposeVerdict } from "../../src/queue/propose-verdict.js";
import { trustHooks } from "../../src/receipts/proposal-recorder.js";
import { fixture } from "../helpers/paths.js";
import { BUNDLE, EXAMPLE_TIME, REPO, useQueue } from "../queue/helpers.js";

// carriesOutARepair's `cls?.mutation === true` clause was never
// exercised alone: every test that takes a lock at approval has a candidate plan or a drift plan.
// Without it, approving a runtime mutation (gateway_restart) that comes with no plan took no repair
// lock, so a second mutation on the same gateway could be approved beside it.
const q = useQueue();
const PLAN_BLOCK = /\n  plan:\n    summary: read-only diagnostics\n    steps:\n      - action: doctor\.lint\n      - action: health\.probe\n/;

async function proposeRestart(seed: string, number: number) {
  const text = await readFile(fixture(BUNDLE), "utf8");
  const edited = text.replace("repair_class: runtime_diagnostics", "repair_class: gateway_restart").replace(PLAN_BLOCK, "\n");
  expect(edited).toContain("repair_class: gateway_restart");
  expect(edited).not.toContain("\n  plan:");
  const path = join(q.dir, `${seed}.bundle.yaml`);
  await writeFile(path, edited);
  q.fake.issue(REPO, number);
  return proposeVerdict(await readEvidenceSnapshot(path), { repo: REPO, kind: "issue", number }, { trigger: "label", delivery: { id: seed, event: "issues" }, idSeed: seed }, {
    evidence: q.evidence,
    proposals: q.store,
    policy: await readPolicy(),
    now: EXAMPLE_TIME,
    actor: "patchwarden",
    outputs: new Set(["queue"]),
    printLine: () => {},
    ...trustHooks(q.log, q.locks, () => EXAMPLE_TIME, { actor: "patchwarden" }),
  });
}

describe("approving a runtime mutation that comes with no plan", () => {
  it("takes a repair lock on its target, and a second mutation of the same target is then refused", async () => {
    const first = await proposeRestart("restart-1", 3);
    const second = await proposeRestart("restart-2", 4);
    expect(first.verdict.verdict).toBe("needs_human");
    expect(first.verdict.repair_class).toBe("gateway_restart");

    expect(await approveAsOperator(first.id, await q.operatorDeps())).toMatchObject({ kind: "posted" });
    const leases = await q.locks.activeLeases(EXAMPLE_TIME + 60_000);
    expect(leases.map((lease) => lease.proposal_id)).toEqual([first.id]);
    expect(await q.receiptKinds(first.id)).toContain("lock.acquired");

    const again = await approveAsOperator(second.id, await q.operatorDeps({ actor: "bob" }));
    expect(again).toMatchObject({ kind: "refused" });
    expect(q.fake.posted).toHaveLength(1);
  });
});

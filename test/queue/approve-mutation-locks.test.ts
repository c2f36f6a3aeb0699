import { readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { approveAsOperator } from "../../src/queue/operator-actions.js";
import { fixture } from "../helpers/paths.js";
import { BUNDLE, EXAMPLE_TIME, REPO, useQueue } from "../queue/helpers.js";

// A mutating class takes a repair lock at approval even without a plan: every other test that
// takes one has a candidate plan or a drift plan. Without the lock, a second mutation of the same
// gateway could be approved beside the first.
const q = useQueue();
const PLAN_BLOCK = /\n  plan:\n    summary: read-only diagnostics\n    steps:\n      - action: doctor\.lint\n      - action: health\.probe\n/;

/** The example bundle as a gateway restart with no plan, proposed for issue `number`. */
async function proposeRestart(seed: string, number: number) {
  const text = await readFile(fixture(BUNDLE), "utf8");
  const edited = text.replace("repair_class: runtime_diagnostics", "repair_class: gateway_restart").replace(PLAN_BLOCK, "\n");
  expect(edited).toContain("repair_class: gateway_restart");
  expect(edited).not.toContain("\n  plan:");
  const path = join(q.dir, `${seed}.bundle.yaml`);
  await writeFile(path, edited);
  q.fake.issue(REPO, number);
  // q.propose reads the bundle from under fixtures/.
  return q.propose({ seed, bundle: relative(fixture(""), path), target: { repo: REPO, kind: "issue", number } });
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

import { describe, expect, it } from "vitest";
import { approveAsOperator } from "../../src/queue/operator-actions.js";
import { EXAMPLE_TIME, useQueue } from "../queue/helpers.js";

// Request #65 keeps "lock semantics to avoid concurrent repair/deploy actions": a drift plan that
// differs is a deploy the operator carries out with the runbook once it is approved. The documented
// way of making the bundle (`drift plan --into` Iskra's bundle, fixtures/drift/docs-behind.bundle.json)
// keeps Iskra's candidate, which has no `plan`, under a class that does not mutate the runtime; its
// approval must still hold the host, so no other repair there is approved while the deploy runs.
const q = useQueue();

describe("approving a drift plan that differs (the --into bundle)", () => {
  it("holds the plan's host with a repair lock, as any repair that will be carried out", async () => {
    const proposal = await q.propose({ bundle: "drift/docs-behind.bundle.json" });
    expect(proposal.verdict.verdict).toBe("eligible_repair_dry_run");
    expect(proposal.verdict.repair_class).toBe("deploy_drift_probe");
    const outcome = await approveAsOperator(proposal.id, await q.operatorDeps());
    expect(outcome.kind).toBe("posted");
    const leases = await q.locks.activeLeases(EXAMPLE_TIME + 60_000);
    expect(leases.map((lease) => [lease.proposal_id, lease.repair_target])).toEqual([[proposal.id, { host: "iskra" }]]);
  });
});

describe("approving a drift plan that found no drift", () => {
  it("holds no lock: there is nothing to deploy", async () => {
    const proposal = await q.propose({ bundle: "drift/no-drift.bundle.json" });
    expect(proposal.verdict.repair_class).toBe("deploy_drift_probe");
    const outcome = await approveAsOperator(proposal.id, await q.operatorDeps());
    expect(outcome.kind).toBe("posted");
    expect(await q.locks.activeLeases(EXAMPLE_TIME + 60_000)).toEqual([]);
  });
});

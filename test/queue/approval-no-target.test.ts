import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { applyTargetLocks } from "../../src/locks/apply-locks.js";
import { TargetLockedError } from "../../src/locks/lock-errors.js";
import { approveAsOperator } from "../../src/queue/operator-actions.js";
import { EXAMPLE_TIME, REPO, useQueue } from "./helpers.js";

/**
 * audit-and-locks.md: "A bundle whose candidate names no target (or a blank one) may touch anything,
 * so it meets every active lock." The gate holds such a verdict for every lock (applyTargetLocks), and
 * so does approval: approving it is refused while any other repair's lock holds, and the repair it
 * approves locks every host and service (`"repair_target":{"every":true}`), so no targeted repair is approved
 * beside it.
 */
const q = useQueue();
const AFTER = EXAMPLE_TIME + 60_000;
const TARGET_BLOCK = /\n  target:\n    host: iskra\n    service: openclaw-gateway\.service\n/;
const PLAN_BLOCK = /\n  plan:\n    summary: read-only diagnostics\n    steps:\n      - action: doctor\.lint\n      - action: health\.probe\n/;

/** The example bundle with its candidate's target taken out (and its plan too, for a read-only check). */
function proposeWithoutTarget(seed: string, options: { readOnly?: boolean } = {}) {
  return q.propose({
    seed,
    edit: (text) => {
      let edited = text.replace(TARGET_BLOCK, "\n");
      if (options.readOnly === true) edited = edited.replace(PLAN_BLOCK, "\n");
      expect(edited).not.toMatch(/\n  target:/);
      expect(edited.includes("\n  plan:")).toBe(options.readOnly !== true);
      return edited;
    },
  });
}

describe("approving a repair whose candidate names no target", () => {
  it("is refused while another repair's lock holds: it may touch that target", async () => {
    const proposal = await proposeWithoutTarget("no-target-1");
    expect(proposal.verdict.target ?? null).toBeNull();
    const { lease } = await q.locks.acquire({ target: { host: "iskra", service: "openclaw-gateway.service" }, owner: "alice", reason: "restart in progress", now: EXAMPLE_TIME + 30_000 });
    const outcome = await approveAsOperator(proposal.id, await q.operatorDeps());
    expect(outcome).toEqual({
      kind: "refused",
      reason:
        `not approved: every host, every service: the candidate names no target, so its repair may touch anything, and host \`iskra\`, service \`openclaw-gateway.service\` is locked by \`alice\` until ${lease.expires_at} ` +
        `(lock \`${lease.lock_id}\`: \`restart in progress\`); wait until it expires, or release it with \`patchwarden lock release ${lease.lock_id} --reason TEXT\``,
    });
    expect(q.fake.posted).toEqual([]);
    expect(await q.receiptKinds(proposal.id)).toEqual(["verdict", "proposal.proposed"]);
  });

  it("with no other lock, takes a lease on every host and service, which no targeted repair is approved beside", async () => {
    const proposal = await proposeWithoutTarget("no-target-2");
    expect((await approveAsOperator(proposal.id, await q.operatorDeps())).kind).toBe("posted");
    const [lease] = await q.locks.activeLeases(AFTER);
    expect(lease).toMatchObject({ proposal_id: proposal.id, repair_target: { every: true }, owner: "piotr" });
    expect(await readFile(q.log.paths.log, "utf8")).toContain(`"repair_target":{"every":true}`);
    expect(await q.receiptKinds(proposal.id)).toEqual(["verdict", "proposal.proposed", "lock.acquired", "proposal.approved", "proposal.posted"]);

    // A targeted repair proposed before that lock was taken: its approval meets it.
    const targeted = await q.propose({ seed: "targeted", target: { repo: REPO, kind: "issue", number: 4 } });
    q.fake.issue(REPO, 4);
    const outcome = await approveAsOperator(targeted.id, await q.operatorDeps({ now: AFTER + 60_000 }));
    expect(outcome).toEqual({ kind: "refused", reason: expect.stringContaining(`locked by \`piotr\` until ${lease!.expires_at} (lock \`${lease!.lock_id}\`, proposal \`${proposal.id}\``) });
    expect(outcome.kind === "refused" && outcome.reason).toContain("a lock on every host and service (its repair names no target)");
    await expect(q.locks.acquire({ target: { service: "nginx" }, owner: "bob", reason: "another", now: AFTER })).rejects.toThrow(TargetLockedError);

    // And the gate holds any new verdict while it lasts.
    const held = applyTargetLocks(targeted.verdict, await q.locks.activeLeases(AFTER), AFTER);
    expect(held.reasons.find((r) => r.code === "target_locked")?.message).toMatch(/^every host, every service is locked by `piotr`/);
  });

  it("a retried approval keeps its own lease on every target", async () => {
    const proposal = await proposeWithoutTarget("no-target-3");
    const { lease } = await q.locks.acquire({ target: "every", owner: "piotr", reason: "approved", proposalId: proposal.id, now: EXAMPLE_TIME + 30_000 });
    expect((await approveAsOperator(proposal.id, await q.operatorDeps())).kind).toBe("posted");
    expect((await q.locks.activeLeases(AFTER)).map((held) => held.lock_id)).toEqual([lease.lock_id]);
  });

  it("a read-only check with no target takes no lock, but is refused while any other lock holds", async () => {
    const proposal = await proposeWithoutTarget("no-target-4", { readOnly: true });
    const { lease } = await q.locks.acquire({ target: { service: "nginx" }, owner: "alice", reason: "nginx reload", now: EXAMPLE_TIME + 30_000 });
    const outcome = await approveAsOperator(proposal.id, await q.operatorDeps());
    expect(outcome).toEqual({ kind: "refused", reason: expect.stringContaining(`every host, every service: the candidate names no target, so its repair may touch anything, and every host, service \`nginx\` is locked by \`alice\``) });
    await q.locks.release({ lockId: lease.lock_id, actor: "alice", reason: "done", now: EXAMPLE_TIME + 40_000 });
    expect((await approveAsOperator(proposal.id, await q.operatorDeps())).kind).toBe("posted");
    expect(await q.locks.activeLeases(AFTER)).toEqual([]);
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { applyTargetLocks } from "../../../src/locks/apply-locks.js";
import type { Lease } from "../../../src/locks/lease-state.js";
import { codes, greenBundle, judge, NOW } from "./helpers.js";

const docsBehind = JSON.parse(readFileSync(new URL("../../../fixtures/drift/docs-behind.bundle.json", import.meta.url), "utf8"));
const otherHost = JSON.parse(readFileSync(new URL("../../../fixtures/drift/other-host.bundle.json", import.meta.url), "utf8"));

const leaseOnIskra: Lease = {
  lock_id: "lock-1",
  repair_target: { host: "iskra" },
  owner: "piotr",
  reason: "gateway restart in progress",
  acquired_at: "2026-11-21T11:30:00Z",
  acquired_seq: 1,
  expires_at: "2026-11-21T13:00:00Z",
};

describe("a candidate that omits (or blanks) its target", () => {
  it("control: the drift plan taken on `forge` is blocked when the candidate targets iskra", () => {
    expect(codes(judge(otherHost))).toContain("drift_plan_host_mismatch");
  });

  it("a drift plan taken on `forge` is not eligible once candidate.target is simply removed", () => {
    const bundle = structuredClone(otherHost);
    delete bundle.candidate.target;
    // The plan says nothing about which host the repair is for; the gate must not guess.
    expect(judge(bundle).verdict).not.toBe("eligible_repair_dry_run");
  });

  it("control: a lock on host iskra holds a drift dry run that targets iskra", () => {
    expect(applyTargetLocks(judge(docsBehind), [leaseOnIskra], NOW).verdict).toBe("needs_human");
  });

  it("the same plan (remote host iskra) escapes the iskra lock when candidate.target is removed", () => {
    const bundle = structuredClone(docsBehind);
    delete bundle.candidate.target;
    const verdict = applyTargetLocks(judge(bundle), [leaseOnIskra], NOW);
    // Blocked (the plan's host is not the candidate's, which names none), and the lock holds it too.
    expect(verdict.verdict).toBe("blocked");
    expect(codes(verdict)).toEqual(expect.arrayContaining(["drift_plan_host_mismatch", "target_locked"]));
  });

  it("a blank host (`\" \"`) cannot escape the lock: the contract refuses it", () => {
    const verdict = applyTargetLocks(judge(greenBundle({ candidate: { target: { host: " " } } })), [leaseOnIskra], NOW);
    expect(verdict.verdict).toBe("blocked");
    expect(codes(verdict)).toContain("bundle_invalid");
  });
});

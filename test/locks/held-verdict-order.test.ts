import { describe, expect, it } from "vitest";
import { applyTargetLocks } from "../../src/locks/apply-locks.js";
import type { Lease } from "../../src/locks/lease-state.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import type { Reason, Verdict } from "../../src/verdict/verdict-types.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";

const policy = await readPolicy();
const lease: Lease = {
  lock_id: "lk-0123456789ab",
  repair_target: { host: "iskra-1" },
  owner: "alice",
  reason: "restart approved",
  acquired_at: "2026-11-21T11:00:00.000Z",
  acquired_seq: 3,
  expires_at: "2026-11-21T13:00:00.000Z",
};

describe("a held verdict's reasons", () => {
  it("stay ordered by severity: the lock's hold comes before information the verdict already carried", () => {
    const base = evaluate(inputOf(bundleOf("gateway_restart", [item("runtime-truth-report"), item("autoheal-dashboard"), item("incident-packet")], { target: { host: "iskra-1" } })), policy, NOW);
    expect(base.verdict).toBe("needs_human");
    const note = { code: "dry_run_only", severity: "info", message: "a note", path: "bundle" } as unknown as Reason;
    const verdict: Verdict = { ...base, reasons: [...base.reasons, note] };
    const held = applyTargetLocks(verdict, [lease], NOW);
    expect(held.verdict).toBe("needs_human");
    expect(held.reasons.map((r) => [r.code, r.severity])).toEqual([...base.reasons.map((r) => [r.code, r.severity]), ["target_locked", "hold"], ["dry_run_only", "info"]]);
  });
});

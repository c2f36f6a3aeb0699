import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyTargetLocks } from "../../src/locks/apply-locks.js";
import type { Lease } from "../../src/locks/lease-state.js";
import { normalizeRepairTarget, targetsOverlap } from "../../src/locks/repair-target.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { VERDICT_RANK, type Verdict } from "../../src/verdict/verdict-types.js";
import { bundleOf, inputOf, item, NOW } from "../helpers/bundles.js";
import { REPO_ROOT } from "../helpers/paths.js";

const policy = await readPolicy();

function lease(overrides: Partial<Lease> = {}): Lease {
  return {
    lock_id: "lk-0123456789ab",
    repair_target: { host: "iskra-1", service: "openclaw-gateway" },
    owner: "alice",
    reason: "gateway restart approved",
    proposal_id: "p_00000000000000000001",
    acquired_at: "2026-11-21T11:00:00.000Z",
    acquired_seq: 12,
    expires_at: "2026-11-21T13:00:00.000Z",
    ...overrides,
  };
}

/** An eligible verdict from the real engine: runtime diagnostics with fresh evidence. */
function eligible(target?: { host?: string; service?: string }): Verdict {
  const bundle = bundleOf("runtime_diagnostics", [item("runtime-truth-report"), item("autoheal-dashboard"), item("incident-packet")], target === undefined ? {} : { target });
  const verdict = evaluate(inputOf(bundle), policy, NOW);
  expect(verdict.verdict).toBe("eligible_repair_dry_run");
  return verdict;
}

describe("applyTargetLocks", () => {
  it("holds an eligible verdict on a locked target: needs_human, naming the holder", () => {
    const verdict = eligible({ host: "ISKRA-1.", service: "openclaw-gateway" });
    const held = applyTargetLocks(verdict, [lease()], NOW);
    expect(held.verdict).toBe("needs_human");
    const reason = held.reasons.find((r) => r.code === "target_locked");
    expect(reason).toMatchObject({ severity: "hold", path: "bundle.candidate.target" });
    expect(reason!.message).toBe(
      "host `iskra-1`, service `openclaw-gateway` is locked by `alice` until 2026-11-21T13:00:00.000Z (lock `lk-0123456789ab`, proposal `p_00000000000000000001`: `gateway restart approved`); a new repair waits until it expires, or an operator releases it with `patchwarden lock release lk-0123456789ab --reason TEXT`",
    );
    // "Eligible for a dry run" no longer holds.
    expect(held.reasons.map((r) => r.code)).not.toContain("dry_run_only");
    // The input is not changed.
    expect(verdict.verdict).toBe("eligible_repair_dry_run");
  });

  it("changes nothing when no lease covers the target, or the lease has expired", () => {
    const verdict = eligible({ host: "iskra-1", service: "openclaw-gateway" });
    expect(applyTargetLocks(verdict, [lease({ repair_target: { host: "iskra-2" } })], NOW)).toBe(verdict);
    expect(applyTargetLocks(verdict, [lease({ expires_at: "2026-11-21T12:00:00.000Z" })], NOW)).toBe(verdict);
  });

  // A blank host never reaches here from a bundle (the contract refuses it: test/evidence/plain-name.test.ts);
  // normalizeRepairTarget still reads one as no target, below.
  it("holds a candidate that names no target under any active lease: it may touch anything", () => {
    for (const verdict of [eligible()]) {
      const held = applyTargetLocks(verdict, [lease({ repair_target: { host: "iskra-2" } })], NOW);
      expect(held.verdict).toBe("needs_human");
      expect(held.reasons.map((r) => r.code)).toContain("target_locked");
      expect(applyTargetLocks(verdict, [lease({ expires_at: "2026-11-21T12:00:00.000Z" })], NOW)).toBe(verdict);
    }
  });

  it("keeps a blocked verdict blocked, and adds the hold after the block reasons", () => {
    const bundle = bundleOf("runtime_diagnostics", [item("runtime-truth-report", { status: "fail" })], { target: { host: "iskra-1" } });
    const blocked = evaluate(inputOf(bundle), policy, NOW);
    const held = applyTargetLocks(blocked, [lease()], NOW);
    expect(held.verdict).toBe("blocked");
    const severities = held.reasons.map((r) => r.severity);
    expect(severities).toEqual([...severities].sort((a, b) => ["block", "hold", "info"].indexOf(a) - ["block", "hold", "info"].indexOf(b)));
    expect(held.reasons.filter((r) => r.code === "target_locked")).toHaveLength(1);
  });

  it("never improves a verdict, whatever the leases (property)", () => {
    const host = fc.constantFrom("iskra-1", "iskra-2", undefined);
    const service = fc.constantFrom("openclaw-gateway", "nginx", undefined);
    const target = fc.record({ host, service }).map((t) => normalizeRepairTarget(t) ?? { host: "iskra-1" });
    const leaseArb = fc.record({ repair_target: target, expires_at: fc.constantFrom("2026-11-21T11:59:59.999Z", "2026-11-21T12:00:00.000Z", "2026-11-21T12:00:00.001Z") }).map((fields) => lease(fields));
    const verdicts = [eligible({ host: "iskra-1", service: "openclaw-gateway" }), eligible({ host: "iskra-2" }), eligible()];
    fc.assert(
      fc.property(fc.constantFrom(...verdicts), fc.array(leaseArb, { maxLength: 4 }), (verdict, leases) => {
        const held = applyTargetLocks(verdict, leases, NOW);
        expect(VERDICT_RANK[held.verdict]).toBeGreaterThanOrEqual(VERDICT_RANK[verdict.verdict]);
        // No target meets every lease.
        const vt = normalizeRepairTarget(verdict.target) ?? {};
        const covering = leases.filter((l) => targetsOverlap(l.repair_target, vt) && Date.parse(l.expires_at) > NOW);
        expect(held.reasons.filter((r) => r.code === "target_locked")).toHaveLength(covering.length);
        expect(held.verdict).toBe(covering.length > 0 ? "needs_human" : verdict.verdict);
      }),
    );
  });
});

describe("repair targets", () => {
  it("treat a missing host or service as covering all of them", () => {
    expect(targetsOverlap({ host: "a" }, { host: "a", service: "s" })).toBe(true);
    expect(targetsOverlap({ service: "s" }, { host: "a", service: "s" })).toBe(true);
    expect(targetsOverlap({ host: "a", service: "s" }, { host: "a", service: "t" })).toBe(false);
    expect(targetsOverlap({ host: "a" }, { host: "b" })).toBe(false);
  });

  // systemd takes `openclaw-gateway` for `openclaw-gateway.service`: one unit, so one lock. Two
  // producers spelling it differently must not repair it twice at once.
  it("read a service named without `.service` as that unit, and keep other unit types apart", () => {
    expect(targetsOverlap({ host: "a", service: "openclaw-gateway.service" }, { host: "a", service: "openclaw-gateway" })).toBe(true);
    expect(targetsOverlap({ service: "openclaw-gateway" }, { service: "openclaw-gateway.service" })).toBe(true);
    expect(targetsOverlap({ service: "openclaw-gateway.socket" }, { service: "openclaw-gateway" })).toBe(false);
    expect(targetsOverlap({ service: "openclaw-gateway.service" }, { service: "openclaw-gateway.timer" })).toBe(false);
  });

  it("normalize host names, and name nothing when both are blank", () => {
    expect(normalizeRepairTarget({ host: " Iskra-1.Example. ", service: "Gateway" })).toEqual({ host: "iskra-1.example", service: "Gateway" });
    expect(normalizeRepairTarget({ host: " " })).toBeNull();
    expect(normalizeRepairTarget(null)).toBeNull();
  });
});

describe("the lock decision stays pure", () => {
  it("imports no file, process or clock module in the code the verdict path uses", () => {
    for (const file of ["apply-locks.ts", "lease-state.ts", "repair-target.ts"]) {
      const text = readFileSync(join(REPO_ROOT, "src/locks", file), "utf8");
      expect(text, file).not.toMatch(/from "node:/);
      expect(text, file).not.toMatch(/\bprocess\.|Date\.now\(|new Date\(\)|Math\.random\(|performance\.now\(/);
    }
  });
});

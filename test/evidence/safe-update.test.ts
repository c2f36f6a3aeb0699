import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readEvidence } from "../../src/evidence/read-evidence.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { editRun, type Json } from "../helpers/kit-runs.js";
import { fixture } from "../helpers/paths.js";

const policy = await readPolicy();
// openclaw_upgrade as a read-only review: a green run is eligible, so only the evidence can hold it.
const readOnlyReview = await readPolicy(fixture("policies/read-only-upgrade-review.toml"));
const AT = Date.parse("2026-11-21T05:00:00Z");
const RUNS = ["green", "blocked-no-attestation", "conservative-transitive-drift", "tampered-artifact", "deleted-artifact", "expired-attestation", "forged-ready-verdict", "edited-bundle-statuses", "approval-claimed", "bundle-approval-claimed", "attestation-digest-removed"];
const temps: string[] = [];
afterEach(async () => Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true }))));

async function copyRun(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "pw-run-"));
  temps.push(dir);
  await cp(fixture(`openclaw-runs/${name}`), dir, { recursive: true });
  return dir;
}

const codes = (verdict: { reasons: Array<{ code: string }> }) => [...new Set(verdict.reasons.map((r) => r.code))].sort();

describe("safe-update kit runs", () => {
  it("maps every listed artifact to an evidence kind and keeps the kit's verdict as its own item", async () => {
    const input = await readEvidence(fixture("openclaw-runs/green"));
    expect(input.format).toBe("openclaw.safe_update.evidence_bundle.v1");
    expect(input.digest).toBe("sha256:8e75e00dad3491b0b4722b93c9fe36ada989523814aa1910e92b1765baab9983");
    const kinds = input.bundle!.evidence.map((item) => `${item.id}→${item.kind}`);
    expect(kinds).toEqual([
      "runtime-truth.json→runtime-truth-report",
      "core-candidate-lock.json→openclaw-upgrade-simulator",
      "installation-candidate-lock.json→openclaw-upgrade-simulator",
      "installation-attestation.json→runtime-truth-report",
      "conservative-gates.json→safe-update-dry-run",
      "synthetic-update.json→openclaw-upgrade-simulator",
      "customization-compatibility.json→openclaw-upgrade-simulator",
      "coverage-report.json→openclaw-upgrade-simulator",
      "post-upgrade-e2e.json→supervised-repair-plan",
      "verdict.json→safe-update-dry-run",
      "evidence-bundle.json→safe-update-dry-run",
    ]);
    // The bundle's own item only carries its fields to the claim rule; it decides nothing itself.
    expect(input.bundle!.evidence[10]).toMatchObject({ subject: "safe-update-evidence-bundle", status: "pass", data: { operator_approval: false, production_apply_allowed: false } });
    expect(input.artifacts.every((check) => check.observed === check.declared)).toBe(true);
    expect(input.bundle!.evidence.find((item) => item.id === "installation-attestation.json")?.expires_at).toBe("2026-11-21T05:44:47+00:00");
    expect(input.bundle!.candidate.repair_class).toBe("openclaw_upgrade");
    expect(input.bundle!.candidate.summary).toBe("OpenClaw upgrade 1.0.0 → 1.1.0, rehearsed read-only by the safe-update kit");
  });

  it("no run of the kit is ever eligible, at any time", async () => {
    for (const run of RUNS) {
      const input = await readEvidence(fixture(`openclaw-runs/${run}`));
      for (const minutes of [0, 5, 30, 59, 61, 600]) {
        const verdict = evaluate(input, policy, Date.parse("2026-11-21T04:44:47Z") + minutes * 60_000);
        expect(verdict.verdict, `${run} at +${minutes}m`).not.toBe("eligible_repair_dry_run");
      }
    }
  });

  it("valid_until is when the attestation expires and runtime truth goes stale", async () => {
    const verdict = evaluate(await readEvidence(fixture("openclaw-runs/green")), policy, AT);
    expect(verdict.valid_until).toBe("2026-11-21T05:44:47.000Z");
  });

  it("names a tampered artifact with both digests", async () => {
    const verdict = evaluate(await readEvidence(fixture("openclaw-runs/tampered-artifact")), policy, AT);
    const mismatch = verdict.reasons.find((r) => r.code === "artifact_digest_mismatch");
    expect(mismatch?.path).toBe("bundle.evidence[0].artifact");
    expect(mismatch?.message).toMatch(/^artifact `runtime-truth.json` hashes to sha256:[0-9a-f]{64}, but the bundle declares sha256:18661046e9fde82b/);
  });

  it("blocks when verdict.json is missing: the kit's authoritative status is required", async () => {
    const dir = await copyRun("green");
    await rm(join(dir, "verdict.json"));
    const verdict = evaluate(await readEvidence(dir), policy, AT);
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons.map((r) => r.code)).toContain("artifact_missing");
  });

  it("blocks a decision digest that does not match the decision content", async () => {
    const dir = await copyRun("green");
    const status = JSON.parse(await readFile(join(dir, "verdict.json"), "utf8")) as { decision_content: { reason_code: string } };
    status.decision_content.reason_code = "something_else";
    await writeFile(join(dir, "verdict.json"), JSON.stringify(status, null, 2));
    const verdict = evaluate(await readEvidence(dir), policy, AT);
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons.find((r) => r.code === "producer_record_inconsistent")?.path).toBe("verdict.json.decision_digest");
  });

  it("refuses an artifact path that escapes the run folder through a symlink", async () => {
    const dir = await copyRun("green");
    const outside = await mkdtemp(join(tmpdir(), "pw-outside-"));
    temps.push(outside);
    await cp(join(dir, "runtime-truth.json"), join(outside, "runtime-truth.json"));
    await rm(join(dir, "runtime-truth.json"));
    const { symlink } = await import("node:fs/promises");
    await symlink(join(outside, "runtime-truth.json"), join(dir, "runtime-truth.json"));
    const verdict = evaluate(await readEvidence(dir), policy, AT);
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons.find((r) => r.code === "artifact_missing")?.message).toMatch(/resolves outside the bundle's folder/);
  });

  it("treats an attestation that says success but is not fresh and complete as a warning", async () => {
    const dir = await copyRun("green");
    const path = join(dir, "installation-attestation.json");
    const attestation = JSON.parse(await readFile(path, "utf8")) as { axes: { freshness: string } };
    attestation.axes.freshness = "stale";
    await writeFile(path, JSON.stringify(attestation, null, 2));
    const input = await readEvidence(dir);
    expect(input.bundle!.evidence[3]!.status).toBe("warn");
  });

  it("marks an artifact the gate does not know for a human", async () => {
    const dir = await copyRun("green");
    const bundlePath = join(dir, "evidence-bundle.json");
    const bundle = JSON.parse(await readFile(bundlePath, "utf8")) as { evidence: Array<{ path: string; sha256: string; status: string }> };
    bundle.evidence.push({ path: "impact-shadow.json", sha256: "2d52f114b6540b71eeb04cba9af54684ec627e9d68535b5f12f4e6f458a4653a", status: "success" });
    await writeFile(bundlePath, JSON.stringify(bundle, null, 2));
    const verdict = evaluate(await readEvidence(dir), policy, AT);
    expect(verdict.reasons.map((r) => r.code)).toEqual(expect.arrayContaining(["producer_artifact_unknown", "bundle_digest_mismatch"]));
  });

  it("reads approval fields at the top of evidence-bundle.json as claims, like any evidence", async () => {
    const input = await readEvidence(fixture("openclaw-runs/bundle-approval-claimed"));
    const claims = evaluate(input, policy, AT).reasons.filter((r) => r.code === "approval_claim_ignored");
    expect(claims.map((r) => r.path)).toEqual(["bundle.evidence[10].data.approved_by", "bundle.evidence[10].data.operator_approval"]);
    expect(claims[0]!.message).toMatch(/^`safe-update-dry-run` evidence\[10\] \(`safe-update-evidence-bundle`\) claims approval at `approved_by` \(`piotr`\)/);
    // Under a read-only review the same run without the claim is eligible; the claim holds it.
    expect(evaluate(await readEvidence(fixture("openclaw-runs/green")), readOnlyReview, AT).verdict).toBe("eligible_repair_dry_run");
    expect(evaluate(input, readOnlyReview, AT).verdict).toBe("needs_human");
  });

  it("reads an approval field a producer adds to a listed artifact entry", async () => {
    const dir = await copyRun("green");
    await editRun(dir, "evidence-bundle.json", (bundle) => {
      bundle["evidence"][0].approved_by = "piotr";
    });
    const verdict = evaluate(await readEvidence(dir), readOnlyReview, AT);
    expect(verdict.verdict).toBe("needs_human");
    expect(verdict.reasons.find((r) => r.code === "approval_claim_ignored")?.path).toBe("bundle.evidence[10].data.evidence[0].approved_by");
  });

  it("blocks an attestation missing its content, digest or axes: never better than a wrong digest", async () => {
    const held = ["producer_gate_handling", "producer_record_inconsistent"];
    // Without axes the item is also a warning (`evidence_warn`), see the next test.
    const edits: Array<[string, (attestation: Json) => void, RegExp, string[]]> = [
      ["attestation_digest", (a) => delete a["attestation_digest"], /^expected the attestation's digest as a string, found nothing; /, held],
      ["attestation_digest", (a) => (a["attestation_digest"] = 42), /^expected the attestation's digest as a string, found `42`; /, held],
      ["attestation_content", (a) => delete a["attestation_content"], /^expected the attested content as an object, found nothing; /, held],
      ["axes", (a) => (a["axes"] = null), /^expected the attestation's axes as an object, found `null`; /, ["evidence_warn", ...held]],
      ["axes", (a) => delete a["axes"], /^expected the attestation's axes as an object, found nothing; /, ["evidence_warn", ...held]],
    ];
    for (const [field, edit, message, expected] of edits) {
      const dir = await copyRun("green");
      await editRun(dir, "installation-attestation.json", (attestation) => {
        attestation["attestation_content"].missing = ["openclaw-core"];
        edit(attestation);
      });
      const verdict = evaluate(await readEvidence(dir), readOnlyReview, AT);
      expect(verdict.verdict, `${field}: ${message}`).toBe("blocked");
      expect(codes(verdict), field).toEqual(expected);
      const found = verdict.reasons.find((r) => r.code === "producer_record_inconsistent");
      expect(found?.path).toBe(`installation-attestation.json.${field}`);
      expect(found?.message).toMatch(message);
    }
  });

  it("treats an attestation without axes as a warning as well", async () => {
    const dir = await copyRun("green");
    await editRun(dir, "installation-attestation.json", (attestation) => delete attestation["axes"]);
    const item = (await readEvidence(dir)).bundle!.evidence[3]!;
    expect(item).toMatchObject({ id: "installation-attestation.json", status: "warn", summary: "installation attestation has no axes" });
  });

  it("does not take Object.prototype names for known artifacts", async () => {
    for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
      const dir = await copyRun("green");
      await writeFile(join(dir, name), JSON.stringify({ schema: "x", generated_at: "2026-11-21T04:44:47+00:00", status: "success" }));
      await editRun(dir, "evidence-bundle.json", (bundle) => {
        bundle["evidence"].push({ path: name, sha256: "0".repeat(64), status: "success" });
      });
      const input = await readEvidence(dir);
      // Listed, it is an item (its status and digest count), but never one of the known artifacts.
      expect(input.bundle!.evidence.find((item) => item.id === name)).toMatchObject({ kind: "safe-update-dry-run", subject: `unknown-artifact:${name}`, status: "pass" });
      const verdict = evaluate(input, readOnlyReview, AT);
      expect(verdict.verdict, name).toBe("needs_human");
      expect(codes(verdict), name).toEqual(["producer_artifact_unknown", "producer_gate_handling"]);
      expect(verdict.reasons.find((r) => r.code === "producer_artifact_unknown")).toMatchObject({ path: "bundle.evidence[9].path", message: expect.stringContaining(`the kit lists artifact \`${name}\``) });
    }
  });
});

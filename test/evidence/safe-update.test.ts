import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readEvidence } from "../../src/evidence/read-evidence.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { fixture } from "../helpers/paths.js";

const policy = await readPolicy();
const AT = Date.parse("2026-11-21T05:00:00Z");
const RUNS = ["green", "blocked-no-attestation", "conservative-transitive-drift", "tampered-artifact", "deleted-artifact", "expired-attestation", "forged-ready-verdict", "edited-bundle-statuses", "approval-claimed"];
const temps: string[] = [];
afterEach(async () => Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true }))));

async function copyRun(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "pw-run-"));
  temps.push(dir);
  await cp(fixture(`openclaw-runs/${name}`), dir, { recursive: true });
  return dir;
}

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
    ]);
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
});

import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readEvidence } from "../../src/evidence/read-evidence.js";
import { canonicalJson } from "../../src/integrity/canonical-json.js";
import { sha256Digest, sha256Hex } from "../../src/integrity/digest.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { fixture } from "../helpers/paths.js";

// An artifact the gate cannot interpret still counts for what the kit says of it and for its digest:
// not knowing a file must never judge better than knowing it failed, or than it being gone.
const AT = Date.parse("2026-11-21T05:00:00Z");
const policy = await readPolicy();
const readOnlyReview = await readPolicy(fixture("policies/read-only-upgrade-review.toml"));
type Json = Record<string, any>;
const dump = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
const codes = (verdict: { reasons: Array<{ code: string }> }) => verdict.reasons.map((r) => r.code);

const temps: string[] = [];
afterEach(async () => Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true }))));

/** The green run plus a `rollback-evidence.json` the kit lists with `status`, every digest re-pinned as the kit would. */
async function runWithNewArtifact(status: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "pw-kit-unknown-"));
  temps.push(dir);
  await cp(fixture("openclaw-runs/green"), dir, { recursive: true });
  const artifact = dump({ schema: "openclaw.safe_update.rollback_evidence.v1", generated_at: "2026-11-21T04:44:47+00:00", status, errors: status === "failed" ? ["no rollback snapshot could be taken"] : [] });
  await writeFile(join(dir, "rollback-evidence.json"), artifact);
  const bundle = JSON.parse(await readFile(join(dir, "evidence-bundle.json"), "utf8")) as Json;
  bundle.evidence.push({ path: "rollback-evidence.json", sha256: sha256Hex(artifact), status });
  const bundleBytes = dump(bundle);
  await writeFile(join(dir, "evidence-bundle.json"), bundleBytes);
  const verdict = JSON.parse(await readFile(join(dir, "verdict.json"), "utf8")) as Json;
  verdict.decision_content.evidence_status.rollback_evidence = status;
  verdict.decision_digest = sha256Digest(canonicalJson(verdict.decision_content));
  verdict.evidence_bundle.sha256 = sha256Hex(bundleBytes);
  await writeFile(join(dir, "verdict.json"), dump(verdict));
  return dir;
}

describe("a kit artifact the gate does not know", () => {
  it("listed as failed is evidence reporting fail, so the run is blocked (shipped policy)", async () => {
    const verdict = evaluate(await readEvidence(await runWithNewArtifact("failed")), policy, AT);
    expect(verdict.verdict).toBe("blocked");
    expect(codes(verdict)).toContain("evidence_failed");
  });

  it("listed as failed is blocked under a read-only review policy too, and still held for a human", async () => {
    const verdict = evaluate(await readEvidence(await runWithNewArtifact("failed")), readOnlyReview, AT);
    expect(codes(verdict)).toEqual(expect.arrayContaining(["producer_artifact_unknown", "evidence_failed"]));
    expect(verdict.verdict).toBe("blocked");
  });

  it("listed as blocked is never upgraded either", async () => {
    const verdict = evaluate(await readEvidence(await runWithNewArtifact("blocked")), readOnlyReview, AT);
    expect(verdict.verdict).toBe("blocked");
  });

  it("listed as success only holds the run for a human, as before", async () => {
    const input = await readEvidence(await runWithNewArtifact("success"));
    expect(input.bundle!.evidence.find((item) => item.id === "rollback-evidence.json")).toMatchObject({ status: "pass", kind: "safe-update-dry-run", artifact: "rollback-evidence.json" });
    const verdict = evaluate(input, readOnlyReview, AT);
    expect(verdict.verdict).toBe("needs_human");
    expect([...new Set(codes(verdict))].sort()).toEqual(["producer_artifact_unknown", "producer_gate_handling"]);
  });

  it("still has its listed digest checked: a missing file blocks", async () => {
    const dir = await runWithNewArtifact("success");
    await rm(join(dir, "rollback-evidence.json"));
    const verdict = evaluate(await readEvidence(dir), readOnlyReview, AT);
    expect(codes(verdict)).toContain("artifact_missing");
    expect(verdict.verdict).toBe("blocked");
  });

  it("still has its listed digest checked: changed bytes block", async () => {
    const dir = await runWithNewArtifact("success");
    await writeFile(join(dir, "rollback-evidence.json"), dump({ schema: "openclaw.safe_update.rollback_evidence.v1", status: "success", edited: true }));
    const verdict = evaluate(await readEvidence(dir), readOnlyReview, AT);
    expect(codes(verdict)).toContain("artifact_digest_mismatch");
    expect(verdict.verdict).toBe("blocked");
  });
});

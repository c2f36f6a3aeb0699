// Records of one safe-update kit run that contradict each other (a listing twice, another
// artifact's schema, verdict.json against the listing, a partial observation) are never eligible.
import { createHash } from "node:crypto";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readEvidence } from "../../src/evidence/read-evidence.js";
import { canonicalJson } from "../../src/integrity/canonical-json.js";
import { sha256Digest } from "../../src/integrity/digest.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { fixture } from "../helpers/paths.js";

// Under this fixture policy a green kit run is eligible, so only the evidence can hold a run back.
const readOnlyReview = await readPolicy(fixture("policies/read-only-upgrade-review.toml"));
const AT = Date.parse("2026-11-21T05:00:00Z");
const temps: string[] = [];
afterEach(async () => Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true }))));

type Json = Record<string, any>;
const hex = (bytes: string | Uint8Array) => createHash("sha256").update(bytes).digest("hex");

async function copyGreen(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "pw-kit-contradictions-"));
  temps.push(dir);
  await cp(fixture("openclaw-runs/green"), dir, { recursive: true });
  return dir;
}

/** Edits one JSON file of a run, then re-pins every digest as the kit would, so only the edit shows. */
async function editRun(dir: string, file: string, edit: (value: Json) => void): Promise<void> {
  const path = join(dir, file);
  const value = JSON.parse(await readFile(path, "utf8")) as Json;
  edit(value);
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
  const bundle = JSON.parse(await readFile(join(dir, "evidence-bundle.json"), "utf8")) as { evidence: Array<{ path: string; sha256: string }> };
  for (const entry of bundle.evidence) entry.sha256 = hex(await readFile(join(dir, entry.path)));
  const bundleBytes = `${JSON.stringify(bundle, null, 2)}\n`;
  await writeFile(join(dir, "evidence-bundle.json"), bundleBytes);
  const status = JSON.parse(await readFile(join(dir, "verdict.json"), "utf8")) as Json;
  status["evidence_bundle"].sha256 = hex(bundleBytes);
  // The decision digest is a plain hash, not a signature: an editor recomputes it as the kit would.
  status["decision_digest"] = sha256Digest(canonicalJson(status["decision_content"]));
  await writeFile(join(dir, "verdict.json"), JSON.stringify(status, null, 2));
}

describe("kit run records that contradict each other are never eligible", () => {
  it("the green run itself is eligible under the read-only review (baseline)", async () => {
    const dir = await copyGreen();
    await editRun(dir, "runtime-truth.json", () => {});
    expect(evaluate(await readEvidence(dir), readOnlyReview, AT).verdict).toBe("eligible_repair_dry_run");
  });

  it("blocks an evidence-bundle.json that lists one artifact twice", async () => {
    const dir = await copyGreen();
    await editRun(dir, "evidence-bundle.json", (bundle) => {
      bundle["evidence"].push({ ...bundle["evidence"][0] });
    });
    const verdict = evaluate(await readEvidence(dir), readOnlyReview, AT);
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons.find((r) => r.code === "producer_record_inconsistent")).toMatchObject({ path: "bundle.evidence[9].path", message: expect.stringContaining("is listed twice") });
  });

  it("treats an attestation whose observation axis is not success as a warning, not a pass", async () => {
    const dir = await copyGreen();
    await editRun(dir, "installation-attestation.json", (attestation) => {
      attestation["axes"].observation = "partial";
    });
    const input = await readEvidence(dir);
    const item = input.bundle!.evidence.find((entry) => entry.id === "installation-attestation.json")!;
    expect(item.status).toBe("warn");
    expect(item.summary).toContain("observation `partial`");
    expect(evaluate(input, readOnlyReview, AT).verdict).not.toBe("eligible_repair_dry_run");
  });

  it("blocks when verdict.json records an artifact's status otherwise than the bundle lists it", async () => {
    const dir = await copyGreen();
    await editRun(dir, "verdict.json", (status) => {
      status["decision_content"].evidence_status.synthetic_update = "skipped";
    });
    const verdict = evaluate(await readEvidence(dir), readOnlyReview, AT);
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons.find((r) => r.code === "producer_record_inconsistent")?.path).toBe("verdict.json.decision_content.evidence_status.synthetic_update");
  });

  it("blocks an artifact whose own schema is not the one the kit writes to that file", async () => {
    const dir = await copyGreen();
    await editRun(dir, "runtime-truth.json", (truth) => {
      truth["schema"] = "openclaw.safe_update.coverage_report.v1";
    });
    const verdict = evaluate(await readEvidence(dir), readOnlyReview, AT);
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons.find((r) => r.code === "producer_record_inconsistent")?.path).toBe("runtime-truth.json.schema");
  });
});

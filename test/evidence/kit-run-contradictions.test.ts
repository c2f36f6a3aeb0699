// Records of one safe-update kit run that contradict each other (a listing twice, another
// artifact's schema, verdict.json against the listing, a partial observation) are never eligible.
import { describe, expect, it } from "vitest";
import { readEvidence } from "../../src/evidence/read-evidence.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { editRun, useKitRuns, type Json } from "../helpers/kit-runs.js";
import { fixture } from "../helpers/paths.js";

// Under this fixture policy a green kit run is eligible, so only the evidence can hold a run back.
const readOnlyReview = await readPolicy(fixture("policies/read-only-upgrade-review.toml"));
const AT = Date.parse("2026-11-21T05:00:00Z");

const { copyRun } = useKitRuns();
const copyGreen = () => copyRun("green");
/** verdict.json's decision digest re-pinned too: only the contradiction itself shows. */
const editRunWholly = (dir: string, file: string, edit: (value: Json) => void) => editRun(dir, file, edit, { decision: true });

describe("kit run records that contradict each other are never eligible", () => {
  it("the green run itself is eligible under the read-only review (baseline)", async () => {
    const dir = await copyGreen();
    await editRunWholly(dir, "runtime-truth.json", () => {});
    expect(evaluate(await readEvidence(dir), readOnlyReview, AT).verdict).toBe("eligible_repair_dry_run");
  });

  it("blocks an evidence-bundle.json that lists one artifact twice", async () => {
    const dir = await copyGreen();
    await editRunWholly(dir, "evidence-bundle.json", (bundle) => {
      bundle["evidence"].push({ ...bundle["evidence"][0] });
    });
    const verdict = evaluate(await readEvidence(dir), readOnlyReview, AT);
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons.find((r) => r.code === "producer_record_inconsistent")).toMatchObject({ path: "bundle.evidence[9].path", message: expect.stringContaining("is listed twice") });
  });

  it("treats an attestation whose observation axis is not success as a warning, not a pass", async () => {
    const dir = await copyGreen();
    await editRunWholly(dir, "installation-attestation.json", (attestation) => {
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
    await editRunWholly(dir, "verdict.json", (status) => {
      status["decision_content"].evidence_status.synthetic_update = "skipped";
    });
    const verdict = evaluate(await readEvidence(dir), readOnlyReview, AT);
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons.find((r) => r.code === "producer_record_inconsistent")?.path).toBe("verdict.json.decision_content.evidence_status.synthetic_update");
  });

  it("blocks an artifact whose own schema is not the one the kit writes to that file", async () => {
    const dir = await copyGreen();
    await editRunWholly(dir, "runtime-truth.json", (truth) => {
      truth["schema"] = "openclaw.safe_update.coverage_report.v1";
    });
    const verdict = evaluate(await readEvidence(dir), readOnlyReview, AT);
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons.find((r) => r.code === "producer_record_inconsistent")?.path).toBe("runtime-truth.json.schema");
  });
});

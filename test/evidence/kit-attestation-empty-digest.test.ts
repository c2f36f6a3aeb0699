// An installation attestation whose recorded digest is an empty string has nothing that matches
// its content: it is an edited attestation, never a clean pass.
import { describe, expect, it } from "vitest";
import { readEvidence } from "../../src/evidence/read-evidence.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { editRun, useKitRuns } from "../helpers/kit-runs.js";
import { fixture } from "../helpers/paths.js";

const readOnlyReview = await readPolicy(fixture("policies/read-only-upgrade-review.toml"));
const AT = Date.parse("2026-11-21T05:00:00Z");
const { copyRun } = useKitRuns();

describe("an installation attestation with an empty digest", () => {
  it("is blocked as edited, naming the digest field", async () => {
    const dir = await copyRun("green");
    await editRun(dir, "installation-attestation.json", (attestation) => {
      attestation["attestation_digest"] = "";
    }, { decision: true });
    const verdict = evaluate(await readEvidence(dir), readOnlyReview, AT);
    expect(verdict.verdict).toBe("blocked");
    const reason = verdict.reasons.find((r) => r.code === "producer_record_inconsistent");
    expect(reason?.path).toBe("installation-attestation.json.attestation_digest");
    expect(reason?.message).toContain("the attestation content hashes to sha256:");
  });
});

// How the artifacts of a safe-update kit run are read into evidence items: their own fields, the
// installation attestation's checks, and the kit's verdict.json.
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/evidence/artifact-bytes.js";
import { snapshotToInput } from "../../src/evidence/snapshot.js";
import { readEvidence } from "../../src/evidence/read-evidence.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import type { Verdict } from "../../src/verdict/verdict-types.js";
import { editRun, useKitRuns, type Json } from "../helpers/kit-runs.js";
import { fixture } from "../helpers/paths.js";

// Under this fixture policy a green kit run is eligible, so only the evidence can hold a run back.
const readOnlyReview = await readPolicy(fixture("policies/read-only-upgrade-review.toml"));
const AT = Date.parse("2026-11-21T05:00:00Z");

const { copyRun } = useKitRuns();
/** Every digest re-pinned, verdict.json's decision digest too: only the edit itself shows. */
const editWholly = (dir: string, file: string, edit: (value: Json) => void) => editRun(dir, file, edit, { decision: true });
const codes = (verdict: { reasons: Array<{ code: string }> }) => [...new Set(verdict.reasons.map((r) => r.code))].sort();
const inconsistencies = (verdict: Verdict) => verdict.reasons.filter((r) => r.code === "producer_record_inconsistent").map((r) => [r.path, r.message]);
const itemOf = async (dir: string, id: string) => (await readEvidence(dir)).bundle!.evidence.find((entry) => entry.id === id)!;

describe("a kit artifact whose own status is not the one the bundle lists", () => {
  it("is blocked as inconsistent, naming both statuses", async () => {
    const dir = await copyRun("green");
    await editWholly(dir, "runtime-truth.json", (truth) => {
      truth["status"] = "skipped";
    });
    const verdict = evaluate(await readEvidence(dir), readOnlyReview, AT);
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons.filter((r) => r.code === "producer_record_inconsistent").map((r) => [r.path, r.message])).toEqual([
      ["runtime-truth.json.status", "`runtime-truth.json` says status `skipped`, but the bundle lists it as `success`"],
    ]);
    // Its own word that it did not succeed makes the item unknown, never a pass.
    expect(await itemOf(dir, "runtime-truth.json")).toMatchObject({ status: "unknown" });
  });
});

describe("an installation attestation the kit reports as failed", () => {
  it("stays a failure even when its axes are not fresh: a warning never replaces a failure", async () => {
    const dir = await copyRun("green");
    await editWholly(dir, "installation-attestation.json", (attestation) => {
      attestation["status"] = "failed";
      attestation["axes"].freshness = "stale";
    });
    await editWholly(dir, "evidence-bundle.json", (bundle) => {
      bundle["evidence"].find((entry: Json) => entry["path"] === "installation-attestation.json").status = "failed";
    });
    await editWholly(dir, "verdict.json", (status) => {
      status["decision_content"].evidence_status.installation_attestation = "failed";
    });
    const item = await itemOf(dir, "installation-attestation.json");
    expect(item).toMatchObject({ status: "fail", summary: "kit artifact installation-attestation.json is failed" });
    const verdict = evaluate(await readEvidence(dir), readOnlyReview, AT);
    expect(verdict.verdict).toBe("blocked");
    expect(codes(verdict)).toContain("evidence_failed");
  });
});

describe("a kit artifact's own fields", () => {
  it("its own generated_at dates the item, so a stale artifact is stale even in a fresh bundle", async () => {
    const dir = await copyRun("green");
    await editWholly(dir, "runtime-truth.json", (truth) => {
      truth["generated_at"] = "2026-11-21T02:00:00+00:00";
    });
    expect(await itemOf(dir, "runtime-truth.json")).toMatchObject({ generated_at: "2026-11-21T02:00:00+00:00" });
    const verdict = evaluate(await readEvidence(dir), readOnlyReview, AT);
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons.find((r) => r.code === "evidence_stale")).toMatchObject({ path: "bundle.evidence[0].generated_at" });
  });

  it("errors listed in an artifact that says success make it a warning, naming them", async () => {
    const dir = await copyRun("green");
    await editWholly(dir, "runtime-truth.json", (truth) => {
      truth["errors"] = ["probe timed out"];
    });
    expect(await itemOf(dir, "runtime-truth.json")).toMatchObject({ status: "warn", summary: "kit artifact runtime-truth.json is success; errors: probe timed out" });
    const verdict = evaluate(await readEvidence(dir), readOnlyReview, AT);
    expect(verdict.verdict).toBe("needs_human");
    expect(codes(verdict)).toEqual(["evidence_warn", "producer_gate_handling"]);
  });

  it("an artifact missing a field every kit artifact carries is blocked as invalid, naming the field", async () => {
    const dir = await copyRun("green");
    await editWholly(dir, "runtime-truth.json", (truth) => {
      delete truth["generated_at"];
    });
    const verdict = evaluate(await readEvidence(dir), readOnlyReview, AT);
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons.filter((r) => r.code === "bundle_invalid").map((r) => [r.path, r.message])).toEqual([["runtime-truth.json.generated_at", "missing; add it"]]);
  });

  it("an artifact that is a JSON list, not an object, is blocked as invalid with the kit's own words", async () => {
    const dir = await copyRun("green");
    await writeFile(join(dir, "runtime-truth.json"), "[]\n");
    await editWholly(dir, "verdict.json", () => {});
    const verdict = evaluate(await readEvidence(dir), readOnlyReview, AT);
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons.filter((r) => r.code === "bundle_invalid").map((r) => [r.path, r.message])).toEqual([["runtime-truth.json", "expected a JSON object; the kit writes one object per artifact"]]);
  });

  it("an artifact over the artifact limit handed to the gate is bundle_too_large, not malformed", async () => {
    const dir = await copyRun("green");
    const { readFile } = await import("node:fs/promises");
    const names = ["evidence-bundle.json", "runtime-truth.json", "verdict.json"] as const;
    const [bundle, truth, status] = await Promise.all(names.map((name) => readFile(join(dir, name))));
    const limits = { ...DEFAULT_LIMITS, maxArtifactBytes: 64 };
    const input = snapshotToInput({ origin: dir, name: "evidence-bundle.json", bundle: bundle!, artifacts: new Map([["runtime-truth.json", { ok: true, bytes: truth! }], ["verdict.json", { ok: true, bytes: status! }]]) }, limits);
    const truthFindings = input.findings.filter((f) => f.evidenceIndex === 0);
    expect(truthFindings.length).toBeGreaterThan(0);
    expect(truthFindings.every((f) => f.code === "bundle_too_large")).toBe(true);
  });
});

describe("the installation attestation's own checks", () => {
  it("blocks attested content that no longer hashes to the recorded attestation digest", async () => {
    const dir = await copyRun("green");
    await editWholly(dir, "installation-attestation.json", (attestation) => {
      attestation["attestation_content"].missing = ["openclaw-core"];
    });
    const verdict = evaluate(await readEvidence(dir), readOnlyReview, AT);
    expect(verdict.verdict).toBe("blocked");
    expect(inconsistencies(verdict)).toEqual([
      ["installation-attestation.json.attestation_digest", expect.stringMatching(/^the attestation content hashes to sha256:[0-9a-f]{64}, not the recorded sha256:09a43426e6e84520be2531f8e2f8f45bc794fc0efb67fcd1c6b433b678172423; the attestation was edited after it was written$/)],
    ]);
  });

  it("treats an attestation whose completeness axis is not complete as a warning", async () => {
    const dir = await copyRun("green");
    await editWholly(dir, "installation-attestation.json", (attestation) => {
      attestation["axes"].completeness = "partial";
    });
    expect(await itemOf(dir, "installation-attestation.json")).toMatchObject({ status: "warn", summary: "installation attestation axes are freshness `fresh`, completeness `partial`, observation `success`" });
    expect(evaluate(await readEvidence(dir), readOnlyReview, AT).verdict).toBe("needs_human");
  });
});

describe("the kit's verdict.json against evidence-bundle.json", () => {
  it("blocks a run whose evidence-bundle.json says blocked while verdict.json says ready", async () => {
    const dir = await copyRun("green");
    await editWholly(dir, "evidence-bundle.json", (bundle) => {
      bundle["verdict"] = "blocked";
    });
    const verdict = evaluate(await readEvidence(dir), readOnlyReview, AT);
    expect(verdict.verdict).toBe("blocked");
    expect(inconsistencies(verdict)).toEqual([["verdict.json.verdict", "verdict.json says `ready_for_operator_plan` (decision content `ready_for_operator_plan`) but evidence-bundle.json says `blocked`; the run's records disagree"]]);
  });

  it("blocks a verdict.json whose decision content says otherwise than its verdict", async () => {
    const dir = await copyRun("green");
    await editWholly(dir, "verdict.json", (status) => {
      status["decision_content"].verdict = "blocked";
    });
    const verdict = evaluate(await readEvidence(dir), readOnlyReview, AT);
    expect(verdict.verdict).toBe("blocked");
    expect(inconsistencies(verdict)).toEqual([["verdict.json.verdict", "verdict.json says `ready_for_operator_plan` (decision content `blocked`) but evidence-bundle.json says `ready_for_operator_plan`; the run's records disagree"]]);
  });

  it("reads the kit's verdict from verdict.json's own verdict: blocked there is a failure", async () => {
    const dir = await copyRun("green");
    await editWholly(dir, "verdict.json", (status) => {
      status["verdict"] = "blocked";
    });
    expect(await itemOf(dir, "verdict.json")).toMatchObject({ status: "fail", summary: expect.stringMatching(/^the kit's verdict is blocked \(baseline_rehearsal_passed: /) });
  });

  it("dates the verdict item by verdict.json's own generated_at", async () => {
    const dir = await copyRun("green");
    await editWholly(dir, "verdict.json", (status) => {
      status["generated_at"] = "2026-11-21T04:40:00+00:00";
    });
    expect(await itemOf(dir, "verdict.json")).toMatchObject({ generated_at: "2026-11-21T04:40:00+00:00" });
  });

  it("a verdict.json missing its decision digest is invalid and its item unknown", async () => {
    const dir = await copyRun("green");
    // Not re-pinned: the digest stays removed.
    await editRun(dir, "verdict.json", (status) => {
      delete status["decision_digest"];
    });
    const input = await readEvidence(dir);
    expect(input.bundle!.evidence.find((entry) => entry.id === "verdict.json")).toMatchObject({ status: "unknown", summary: "the kit's verdict.json is unreadable" });
    const verdict = evaluate(input, readOnlyReview, AT);
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons.filter((r) => r.code === "bundle_invalid").map((r) => [r.path, r.message])).toEqual([["verdict.json.decision_digest", "missing; add it"]]);
  });

  it("a missing verdict.json leaves its item unknown, never a pass", async () => {
    const dir = await copyRun("green");
    await rm(join(dir, "verdict.json"));
    expect(await itemOf(dir, "verdict.json")).toMatchObject({ status: "unknown", summary: "the kit's verdict.json is missing" });
  });
});

describe("the list of artifacts in evidence-bundle.json", () => {
  it("must name at least one artifact", async () => {
    const dir = await copyRun("green");
    await editWholly(dir, "evidence-bundle.json", (bundle) => {
      bundle["evidence"] = [];
    });
    const input = await readEvidence(dir);
    expect(input.bundle).toBeNull();
    expect(input.findings).toEqual([{ code: "bundle_invalid", path: "bundle.evidence", message: "needs at least 1 item(s)" }]);
  });

  it("names at most 200 artifacts", async () => {
    const dir = await copyRun("green");
    const path = join(dir, "evidence-bundle.json");
    const { readFile } = await import("node:fs/promises");
    const bundle = JSON.parse(await readFile(path, "utf8")) as Json;
    const first = bundle["evidence"][0];
    bundle["evidence"] = Array.from({ length: 201 }, (_, i) => ({ ...first, path: `extra-${i}.json` }));
    await writeFile(path, JSON.stringify(bundle, null, 2));
    const input = await readEvidence(dir);
    expect(input.bundle).toBeNull();
    expect(input.artifacts).toEqual([]);
    expect(input.findings).toEqual([{ code: "bundle_invalid", path: "bundle.evidence", message: "has more than 200 items" }]);
  });

  it("gives each artifact's digest as 64 lowercase hex digits, as the kit writes them", async () => {
    const dir = await copyRun("green");
    const path = join(dir, "evidence-bundle.json");
    const { readFile } = await import("node:fs/promises");
    const bundle = JSON.parse(await readFile(path, "utf8")) as Json;
    bundle["evidence"][0].sha256 = String(bundle["evidence"][0].sha256).toUpperCase();
    await writeFile(path, JSON.stringify(bundle, null, 2));
    const input = await readEvidence(dir);
    expect(input.bundle).toBeNull();
    expect(input.findings).toEqual([{ code: "bundle_invalid", path: "bundle.evidence[0].sha256", message: "must be 64 lowercase hex digits, as the kit writes them" }]);
  });
});

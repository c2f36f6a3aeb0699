// What a kit run's items and reasons tell the operator: errors written out, the upgrade named only
// when both versions are known, the kit's own next step and gates, unknown artifacts described and
// still pinned by digest, and an unread verdict.json's claims still read.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/evidence/artifact-bytes.js";
import { assembleInput, openBundle } from "../../src/evidence/open-bundle.js";
import { readEvidence } from "../../src/evidence/read-evidence.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { editRun, useKitRuns, type Json } from "../helpers/kit-runs.js";
import { fixture } from "../helpers/paths.js";

const readOnlyReview = await readPolicy(fixture("policies/read-only-upgrade-review.toml"));
const AT = Date.parse("2026-11-21T05:00:00Z");
const { copyRun } = useKitRuns();
const editWholly = (dir: string, file: string, edit: (value: Json) => void) => editRun(dir, file, edit, { decision: true });
const gateHandling = async (dir: string) => (await readEvidence(dir)).findings.find((f) => f.code === "producer_gate_handling")!.message;

describe("a kit artifact's errors", () => {
  it("are written out in its summary, each in turn, objects as JSON", async () => {
    const dir = await copyRun("green");
    await editWholly(dir, "runtime-truth.json", (truth) => {
      truth["errors"] = ["registry slow", { code: "npm_timeout", retries: 2 }];
    });
    const item = (await readEvidence(dir)).bundle!.evidence.find((e) => e.id === "runtime-truth.json")!;
    expect(item.status).toBe("warn");
    expect(item.summary).toBe('kit artifact runtime-truth.json is success; errors: registry slow; {"code":"npm_timeout","retries":2}');
  });
});

describe("the candidate built from a kit run", () => {
  it("names the upgrade's versions when runtime-truth.json gives both", async () => {
    const dir = await copyRun("green");
    const candidate = (await readEvidence(dir)).bundle!.candidate;
    expect(candidate.summary).toBe("OpenClaw upgrade 1.0.0 → 1.1.0, rehearsed read-only by the safe-update kit");
    expect(candidate.target).toEqual({ service: "openclaw" });
  });

  it("names no version at all when the target version is missing, never an undefined one", async () => {
    const dir = await copyRun("green");
    await editWholly(dir, "runtime-truth.json", (truth) => {
      delete truth["target_version"];
    });
    const candidate = (await readEvidence(dir)).bundle!.candidate;
    expect(candidate.summary).toBe("OpenClaw upgrade rehearsed read-only by the safe-update kit");
    expect(candidate.summary).not.toContain("undefined");
  });
});

describe("the kit's gate handling, as reported", () => {
  it("quotes the kit's own next step in words over its next-step code", async () => {
    const dir = await copyRun("green");
    const message = await gateHandling(dir);
    expect(message).toContain("required gates: `rollback-evidence`");
    expect(message).toContain("next step: `prepare rollback-aware operator plan and stop before apply`");
  });

  it("falls back to the next-step code, and says none when no gate is required", async () => {
    const dir = await copyRun("green");
    await editWholly(dir, "verdict.json", (verdict) => {
      delete verdict["next_step"];
      verdict["decision_content"].gate_decision.required_gates = [];
      verdict["decision_content"].next_step_code = "prepare_operator_plan";
    });
    const message = await gateHandling(dir);
    expect(message).toContain("required gates: none;");
    expect(message).toContain("next step: `prepare_operator_plan`");
  });
});

describe("an artifact the gate does not know", () => {
  it("is described for a human and keeps its declared digest", async () => {
    const dir = await copyRun("green");
    const bundle = JSON.parse(await readFile(join(dir, "evidence-bundle.json"), "utf8")) as Json;
    const extra = bundle["evidence"].find((entry: Json) => entry.path === "analysis-cache.json") ?? { path: "analysis-cache.json" };
    await editWholly(dir, "evidence-bundle.json", (b) => {
      if (!b["evidence"].some((entry: Json) => entry.path === "analysis-cache.json")) b["evidence"].push({ ...extra, status: "success", sha256: "0".repeat(64) });
    });
    const after = JSON.parse(await readFile(join(dir, "evidence-bundle.json"), "utf8")) as Json;
    const declared = after["evidence"].find((entry: Json) => entry.path === "analysis-cache.json").sha256 as string;
    const item = (await readEvidence(dir)).bundle!.evidence.find((e) => e.id === "analysis-cache.json")!;
    expect(item.summary).toBe("kit artifact analysis-cache.json is success; the gate does not know this artifact, so a human must read it");
    expect(item.sha256).toBe(`sha256:${declared}`);
  });
});

describe("an unreadable verdict.json", () => {
  it("still has its approval claims read, and the run is blocked", async () => {
    const dir = await copyRun("green");
    // Not re-pinned: the decision digest stays removed, so verdict.json is invalid.
    await editRun(dir, "verdict.json", (verdict) => {
      delete verdict["decision_digest"];
      verdict["approved_by"] = "mallory";
    });
    const input = await readEvidence(dir);
    expect(input.bundle!.evidence.find((e) => e.id === "verdict.json")).toMatchObject({ status: "unknown", summary: "the kit's verdict.json is unreadable" });
    const verdict = evaluate(input, readOnlyReview, AT);
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.reasons.filter((r) => r.code === "approval_claim_ignored").map((r) => r.message)).toEqual([expect.stringContaining("`approved_by` (`mallory`)")]);
  });
});

describe("kit artifacts the edge did not hand over", () => {
  it("are checks that say they were not provided, and reasons say so", async () => {
    const dir = fixture("openclaw-runs/green");
    const opened = openBundle("evidence-bundle.json", await readFile(join(dir, "evidence-bundle.json")), DEFAULT_LIMITS);
    const input = assembleInput(opened, new Map(), DEFAULT_LIMITS);
    expect(input.artifacts.length).toBeGreaterThan(0);
    expect(new Set(input.artifacts.map((check) => check.problem))).toEqual(new Set(["not provided"]));
    const verdict = evaluate(input, readOnlyReview, AT);
    expect(verdict.verdict).toBe("blocked");
    const missing = verdict.reasons.filter((r) => r.code === "artifact_missing").map((r) => r.message);
    expect(missing.length).toBeGreaterThan(1);
    for (const message of missing) expect(message).toContain("(not provided)");
  });
});

// The fields a safe-update kit run must write in the kit's own form: anything else is refused as
// invalid, naming the field, and never read into a better verdict.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readEvidence } from "../../src/evidence/read-evidence.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { evaluate } from "../../src/verdict/evaluate.js";
import { editRun, useKitRuns, type Json } from "../helpers/kit-runs.js";
import { fixture } from "../helpers/paths.js";

const readOnlyReview = await readPolicy(fixture("policies/read-only-upgrade-review.toml"));
const AT = Date.parse("2026-11-21T05:00:00Z");
const { copyRun } = useKitRuns();
const editWholly = (dir: string, file: string, edit: (value: Json) => void) => editRun(dir, file, edit, { decision: true });

/** Edits evidence-bundle.json in place without re-pinning anything (its listing is what is judged). */
async function editBundleOnly(dir: string, edit: (bundle: Json) => void): Promise<void> {
  const path = join(dir, "evidence-bundle.json");
  const bundle = JSON.parse(await readFile(path, "utf8")) as Json;
  edit(bundle);
  await writeFile(path, JSON.stringify(bundle, null, 2));
}

async function invalidPaths(dir: string): Promise<string[]> {
  const input = await readEvidence(dir);
  expect(evaluate(input, readOnlyReview, AT).verdict).toBe("blocked");
  return input.findings.filter((f) => f.code === "bundle_invalid").map((f) => f.path);
}

describe("evidence-bundle.json's own fields", () => {
  it("the green run is eligible and has nothing invalid (baseline)", async () => {
    const dir = await copyRun("green");
    await editWholly(dir, "runtime-truth.json", () => {});
    const input = await readEvidence(dir);
    expect(input.findings.filter((f) => f.code === "bundle_invalid")).toEqual([]);
    expect(evaluate(input, readOnlyReview, AT).verdict).toBe("eligible_repair_dry_run");
  });

  it("refuses an artifact digest with anything after its 64 hex digits", async () => {
    const dir = await copyRun("green");
    await editBundleOnly(dir, (bundle) => {
      bundle["evidence"][0].sha256 = `${bundle["evidence"][0].sha256}0`;
    });
    expect(await invalidPaths(dir)).toEqual(["bundle.evidence[0].sha256"]);
  });

  it("refuses an artifact path that climbs out of the run folder", async () => {
    const dir = await copyRun("green");
    await editBundleOnly(dir, (bundle) => {
      bundle["evidence"][0].path = `../${bundle["evidence"][0].path}`;
    });
    expect(await invalidPaths(dir)).toEqual(["bundle.evidence[0].path"]);
  });

  it("refuses an empty listed status", async () => {
    const dir = await copyRun("green");
    await editBundleOnly(dir, (bundle) => {
      bundle["evidence"][0].status = "";
    });
    expect(await invalidPaths(dir)).toEqual(["bundle.evidence[0].status"]);
  });

  it("refuses a repair class that is not an identifier", async () => {
    const dir = await copyRun("green");
    await editBundleOnly(dir, (bundle) => {
      bundle["repair_class"] = "OpenClaw Upgrade";
    });
    expect(await invalidPaths(dir)).toEqual(["bundle.repair_class"]);
  });

  it("refuses a verdict word the kit does not write", async () => {
    const dir = await copyRun("green");
    await editBundleOnly(dir, (bundle) => {
      bundle["verdict"] = "ready";
    });
    expect(await invalidPaths(dir)).toEqual(["bundle.verdict"]);
  });
});

describe("verdict.json's fields", () => {
  const cases: Array<[string, (verdict: Json) => void, string]> = [
    ["another status schema", (v) => void (v["schema"] = "openclaw.safe_update.status.v1"), "verdict.json.schema"],
    ["a generated_at that is not an ISO time with offset", (v) => void (v["generated_at"] = "2026-11-21 04:44"), "verdict.json.generated_at"],
    ["a verdict word the kit does not write", (v) => void (v["verdict"] = "ready"), "verdict.json.verdict"],
    ["a decision verdict word the kit does not write", (v) => void (v["decision_content"].verdict = "ready"), "verdict.json.decision_content.verdict"],
    ["a gate decision without its digest", (v) => void delete v["decision_content"].gate_decision.decision_digest, "verdict.json.decision_content.gate_decision.decision_digest"],
  ];
  it.each(cases)("refuses %s: the item is unknown and the run blocked", async (_name, edit, path) => {
    const dir = await copyRun("green");
    await editWholly(dir, "verdict.json", edit);
    expect(await invalidPaths(dir)).toEqual([path]);
    const item = (await readEvidence(dir)).bundle!.evidence.find((e) => e.id === "verdict.json")!;
    expect(item).toMatchObject({ status: "unknown", summary: "the kit's verdict.json is unreadable" });
  });

  it("refuses a bundle digest written with a `sha256:` prefix, though it names the right bytes", async () => {
    const dir = await copyRun("green");
    // Written after the re-pinning, which would otherwise put the kit's bare form back.
    const path = join(dir, "verdict.json");
    const verdict = JSON.parse(await readFile(path, "utf8")) as Json;
    verdict["evidence_bundle"].sha256 = `sha256:${verdict["evidence_bundle"].sha256}`;
    await writeFile(path, JSON.stringify(verdict, null, 2));
    expect(await invalidPaths(dir)).toEqual(["verdict.json.evidence_bundle.sha256"]);
  });

  it("refuses a decision digest without its `sha256:` prefix", async () => {
    const dir = await copyRun("green");
    await editWholly(dir, "verdict.json", () => {});
    await editRun(dir, "verdict.json", (v) => {
      v["decision_digest"] = String(v["decision_digest"]).replace(/^sha256:/, "");
    });
    expect(await invalidPaths(dir)).toEqual(["verdict.json.decision_digest"]);
  });
});

describe("a kit artifact's own fields", () => {
  const cases: Array<[string, string, (artifact: Json) => void, string]> = [
    ["a zoneless generated_at", "runtime-truth.json", (a) => void (a["generated_at"] = "2026-11-21T04:44:47"), "runtime-truth.json.generated_at"],
    ["a zoneless expires_at", "installation-attestation.json", (a) => void (a["expires_at"] = "2026-11-21T05:44:47"), "installation-attestation.json.expires_at"],
    ["errors that are not a list", "runtime-truth.json", (a) => void (a["errors"] = "registry slow"), "runtime-truth.json.errors"],
  ];
  it.each(cases)("refuses %s, naming the field", async (_name, file, edit, path) => {
    const dir = await copyRun("green");
    await editWholly(dir, file, edit);
    expect(await invalidPaths(dir)).toEqual([path]);
  });
});

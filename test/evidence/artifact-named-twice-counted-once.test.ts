import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/evidence/artifact-bytes.js";
import { readEvidence } from "../../src/evidence/read-evidence.js";
import { bundleOf, item } from "../helpers/bundles.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pw-twice-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("an artifact named by two evidence items", () => {
  it("is read once and counted once against the artifacts' total, so both items see its bytes", async () => {
    const bytes = Buffer.from("probe output: all good\n".repeat(20));
    const sha256 = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
    await writeFile(join(dir, "probe.txt"), bytes);
    const bundle = bundleOf("runtime_diagnostics", [
      item("runtime-truth-report", { subject: "first", artifact: "probe.txt", sha256 }),
      item("runtime-truth-report", { subject: "second", artifact: "probe.txt", sha256 }),
    ]);
    const bundleFile = join(dir, "bundle.json");
    await writeFile(bundleFile, JSON.stringify(bundle, null, 2));
    // The total admits this one file once, not twice.
    const input = await readEvidence(bundleFile, { ...DEFAULT_LIMITS, maxTotalArtifactBytes: bytes.byteLength });
    expect(input.findings).toEqual([]);
    expect(input.artifacts).toHaveLength(2);
    for (const check of input.artifacts) {
      expect(check.problem).toBeUndefined();
      expect(check.observed).toBe(check.declared);
    }
  });
});

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
  dir = await mkdtemp(join(tmpdir(), "pw-artlimit-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("an artifact beside a bundle file", () => {
  it("is held to the artifact limit, even when the bundle limit is larger", async () => {
    const bytes = Buffer.alloc(4096, "x");
    const sha256 = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
    await writeFile(join(dir, "probe.log"), bytes);
    const bundleFile = join(dir, "bundle.json");
    await writeFile(bundleFile, JSON.stringify(bundleOf("runtime_diagnostics", [item("runtime-truth-report", { subject: "gateway", artifact: "probe.log", sha256 })]), null, 2));
    const input = await readEvidence(bundleFile, { ...DEFAULT_LIMITS, maxBundleBytes: 1024 * 1024, maxArtifactBytes: 1024 });
    expect(input.artifacts).toHaveLength(1);
    expect(input.artifacts[0]!.observed).toBeNull();
    expect(input.artifacts[0]!.problem).toMatch(/1 KiB|1024/);
  });
});

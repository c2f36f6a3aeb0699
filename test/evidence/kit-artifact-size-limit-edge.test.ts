// A kit artifact handed over as bytes is held to the artifact limit: exactly at the limit it is
// read, one byte over it is refused as too large (never read as evidence).
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, type ArtifactBytes } from "../../src/evidence/artifact-bytes.js";
import { assembleInput, openBundle } from "../../src/evidence/open-bundle.js";
import { fixture } from "../helpers/paths.js";

async function greenRun(): Promise<{ bundle: Uint8Array; files: Map<string, ArtifactBytes> }> {
  const dir = fixture("openclaw-runs/green");
  const files = new Map<string, ArtifactBytes>();
  for (const name of await readdir(dir)) if (name.endsWith(".json")) files.set(name, { ok: true, bytes: await readFile(join(dir, name)) });
  return { bundle: await readFile(join(dir, "evidence-bundle.json")), files };
}

/** The green run read with an artifact limit `offset` bytes from runtime-truth.json's size, every other file within it. */
async function readWithLimitAround(offset: number) {
  const { bundle, files } = await greenRun();
  const size = (files.get("runtime-truth.json") as { bytes: Uint8Array }).bytes.byteLength;
  // Shrink every other file under the limit so only runtime-truth.json sits at the edge.
  for (const [name, file] of files) {
    if (name === "runtime-truth.json" || !file.ok || file.bytes.byteLength <= size + offset) continue;
    files.set(name, { ok: false, problem: "left out of this test" });
  }
  const limits = { ...DEFAULT_LIMITS, maxArtifactBytes: size + offset };
  const opened = openBundle("evidence-bundle.json", bundle, { ...limits, maxBundleBytes: DEFAULT_LIMITS.maxBundleBytes });
  return assembleInput(opened, files, limits);
}

describe("a kit artifact at the artifact limit", () => {
  it("is read when its size equals the limit", async () => {
    const input = await readWithLimitAround(0);
    expect(input.findings.filter((f) => f.evidenceIndex !== undefined && f.code === "bundle_too_large")).toEqual([]);
    expect(input.bundle!.evidence.find((e) => e.id === "runtime-truth.json")!.data["current_version"]).toBe("1.0.0");
  });

  it("is refused as too large when one byte over the limit", async () => {
    const input = await readWithLimitAround(-1);
    const item = input.bundle!.evidence.find((e) => e.id === "runtime-truth.json")!;
    const index = input.bundle!.evidence.indexOf(item);
    expect(input.findings.filter((f) => f.evidenceIndex === index).map((f) => f.code)).toContain("bundle_too_large");
    expect(item.data).toEqual({});
  });
});

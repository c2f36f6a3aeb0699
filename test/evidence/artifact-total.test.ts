import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, type ArtifactBytes } from "../../src/evidence/artifact-bytes.js";
import { readEvidenceSnapshot } from "../../src/evidence/read-evidence.js";
import { snapshotToInput } from "../../src/evidence/snapshot.js";
import { bundleOf, item } from "../helpers/bundles.js";

const OVER_TOTAL = "the bundle's artifacts exceed 64 MiB in total, the gate's limit; split the evidence over several bundles";

/** A read as a test compares it: never the megabytes themselves. */
const outcome = (read: ArtifactBytes | undefined) => (read === undefined ? "absent" : read.ok ? "read" : read.problem);

let temp: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-artifact-total-"));
});
afterEach(async () => {
  await rm(temp, { recursive: true, force: true });
});

/**
 * Each artifact is capped at 8 MiB, but a bundle may name 10,000, and links to one file are free
 * to make: every path was read and held, 80 GB at worst, and the gate died of memory instead of
 * blocking the bundle.
 */
describe("the artifacts of one bundle read from a folder", () => {
  it("are held up to the total limit; the rest are refused as unread, none dropped", async () => {
    await writeFile(join(temp, "big.log"), Buffer.alloc(DEFAULT_LIMITS.maxArtifactBytes, 0x61));
    const names = Array.from({ length: 24 }, (_, i) => `a${i}.log`);
    for (const name of names) await symlink("big.log", join(temp, name));
    const evidence = names.map((name, i) => item("incident-packet", { artifact: name, sha256: "0".repeat(64), subject: `s${i}` }));
    await writeFile(join(temp, "bundle.json"), JSON.stringify(bundleOf("runtime_diagnostics", evidence)));

    const snapshot = await readEvidenceSnapshot(join(temp, "bundle.json"), DEFAULT_LIMITS);
    // 8 × 8 MiB is exactly the 64 MiB total; the ninth would pass it.
    expect(names.map((name) => outcome(snapshot.artifacts.get(name)))).toEqual([...Array(8).fill("read"), ...Array(16).fill(OVER_TOTAL)]);

    const input = snapshotToInput(snapshot);
    expect(input.artifacts).toHaveLength(24);
    expect(input.artifacts.slice(8).map((check) => [check.observed, check.problem])).toEqual(Array(16).fill([null, OVER_TOTAL]));
  });

  it("reads nothing more once the total is passed", async () => {
    const limits = { ...DEFAULT_LIMITS, maxTotalArtifactBytes: 1000 };
    await writeFile(join(temp, "a.log"), Buffer.alloc(600));
    await writeFile(join(temp, "b.log"), Buffer.alloc(600));
    await writeFile(join(temp, "c.log"), Buffer.alloc(10));
    const evidence = ["a.log", "b.log", "c.log", "gone.log"].map((artifact, i) => item("incident-packet", { artifact, sha256: "0".repeat(64), subject: `s${i}` }));
    await writeFile(join(temp, "bundle.json"), JSON.stringify(bundleOf("runtime_diagnostics", evidence)));

    const snapshot = await readEvidenceSnapshot(join(temp, "bundle.json"), limits);
    const problem = "the bundle's artifacts exceed 1000 bytes in total, the gate's limit; split the evidence over several bundles";
    // c.log would fit and gone.log does not exist: neither is looked at after b.log passed the total.
    expect(["a.log", "b.log", "c.log", "gone.log"].map((name) => outcome(snapshot.artifacts.get(name)))).toEqual(["read", problem, problem, problem]);
  });
});

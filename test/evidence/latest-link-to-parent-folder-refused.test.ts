import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readLatestEvidence } from "../../src/evidence/latest-evidence.js";
import { isInside } from "../../src/evidence/read-inside.js";
import { KIT_BUNDLE_FILE } from "../../src/evidence/safe-update/kit-schemas.js";
import { freshBundleBytes } from "../helpers/bundles.js";

const NOON = Date.parse("2026-11-21T12:00:00Z");
const settle = { clock: () => NOON, sleep: async () => {} };

let temp: string;
let evidence: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-uplink-"));
  evidence = join(temp, "evidence");
  await mkdir(evidence);
});
afterEach(() => rm(temp, { recursive: true, force: true }));

describe("a link in the evidence folder to the folder holding it", () => {
  it("is not a run folder inside it: the bundle beside the evidence folder is never read", async () => {
    await writeFile(join(evidence, "inside.json"), freshBundleBytes(NOON));
    await utimes(join(evidence, "inside.json"), new Date(NOON - 60_000), new Date(NOON - 60_000));
    // A run-folder bundle in the parent, newer than the one inside.
    await writeFile(join(temp, KIT_BUNDLE_FILE), "{\"secret\": true}");
    await utimes(join(temp, KIT_BUNDLE_FILE), new Date(NOON - 1_000), new Date(NOON - 1_000));
    await symlink("..", join(evidence, "run-up"));
    const snapshot = await readLatestEvidence(evidence, undefined, settle);
    expect(snapshot.bundle).toBeNull();
    expect(snapshot.origin).toBe(join(evidence, "run-up"));
    expect(snapshot.problem).toContain("leads outside the evidence folder");
  });

  it("the folder's parent does not count as inside it, nor does the folder itself", () => {
    expect(isInside(evidence, temp)).toBe(false);
    expect(isInside(evidence, evidence)).toBe(false);
    expect(isInside(evidence, join(evidence, "run"))).toBe(true);
  });
});

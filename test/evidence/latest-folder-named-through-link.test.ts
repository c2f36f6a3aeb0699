import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readLatestEvidence } from "../../src/evidence/latest-evidence.js";
import { KIT_BUNDLE_FILE } from "../../src/evidence/safe-update/kit-schemas.js";
import { freshBundleBytes } from "../helpers/bundles.js";

const NOON = Date.parse("2026-11-21T12:00:00Z");
const settle = { clock: () => NOON, sleep: async () => {} };

let temp: string;
let real: string;
let named: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-vialink-"));
  real = join(temp, "real-evidence");
  await mkdir(real);
  // The operator names the folder through a link (e.g. /srv/evidence -> /data/iskra/evidence).
  named = join(temp, "evidence");
  await symlink(real, named);
});
afterEach(() => rm(temp, { recursive: true, force: true }));

describe("an evidence folder named through a symbolic link", () => {
  it("has its newest bundle file read, not refused as leading outside the folder", async () => {
    await writeFile(join(real, "diagnostics.bundle.json"), freshBundleBytes(NOON));
    await utimes(join(real, "diagnostics.bundle.json"), new Date(NOON - 60_000), new Date(NOON - 60_000));
    const snapshot = await readLatestEvidence(named, undefined, settle);
    expect(snapshot.problem).toBeUndefined();
    expect(snapshot.bundle).not.toBeNull();
    expect(snapshot.origin).toBe(join(named, "diagnostics.bundle.json"));
  });

  it("has its newest run folder read, not refused as leading outside the folder", async () => {
    const run = join(real, "run-2026-11-21T11-59");
    await mkdir(run);
    await writeFile(join(run, KIT_BUNDLE_FILE), "{}");
    await utimes(join(run, KIT_BUNDLE_FILE), new Date(NOON - 60_000), new Date(NOON - 60_000));
    const snapshot = await readLatestEvidence(named, undefined, settle);
    expect(snapshot.problem).toBeUndefined();
    expect(snapshot.bundle).not.toBeNull();
    expect(snapshot.origin).toBe(join(named, "run-2026-11-21T11-59", KIT_BUNDLE_FILE));
  });
});

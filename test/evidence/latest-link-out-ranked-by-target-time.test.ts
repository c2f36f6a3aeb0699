import { lutimes, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readLatestEvidence } from "../../src/evidence/latest-evidence.js";
import { KIT_BUNDLE_FILE } from "../../src/evidence/safe-update/kit-schemas.js";
import { freshBundleBytes } from "../helpers/bundles.js";

const NOON = Date.parse("2026-11-21T12:00:00Z");
const at = (ms: number) => new Date(ms);

let temp: string;
let evidence: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-linkout-"));
  evidence = join(temp, "evidence");
  await mkdir(evidence);
  await writeFile(join(evidence, "inside.json"), freshBundleBytes(NOON));
  await utimes(join(evidence, "inside.json"), at(NOON - 60_000), at(NOON - 60_000));
});
afterEach(() => rm(temp, { recursive: true, force: true }));

const settle = { clock: () => NOON, sleep: async () => {} };

describe("a link out of the evidence folder, ranked by the later of its own and its target's times", () => {
  it("to a run folder whose bundle is newer than the bundle inside, the link older, ranks by that bundle and blocks", async () => {
    const run = join(temp, "elsewhere-run");
    await mkdir(run);
    await writeFile(join(run, KIT_BUNDLE_FILE), "{}");
    await utimes(join(run, KIT_BUNDLE_FILE), at(NOON - 1_000), at(NOON - 1_000));
    const link = join(evidence, "run-2026-11-21");
    await symlink(run, link);
    await lutimes(link, at(NOON - 3_600_000), at(NOON - 3_600_000));
    const snapshot = await readLatestEvidence(evidence, undefined, settle);
    expect(snapshot.bundle).toBeNull();
    expect(snapshot.origin).toBe(link);
    expect(snapshot.problem).toContain("leads outside the evidence folder");
  });

  it("to a bundle file newer than the bundle inside, the link older, ranks by that file and blocks", async () => {
    const outside = join(temp, "outside.json");
    await writeFile(outside, freshBundleBytes(NOON));
    await utimes(outside, at(NOON - 1_000), at(NOON - 1_000));
    const link = join(evidence, "zz-latest.json");
    await symlink(outside, link);
    await lutimes(link, at(NOON - 3_600_000), at(NOON - 3_600_000));
    const snapshot = await readLatestEvidence(evidence, undefined, settle);
    expect(snapshot.bundle).toBeNull();
    expect(snapshot.origin).toBe(link);
    expect(snapshot.problem).toContain("leads outside the evidence folder");
  });

  it("to an old run folder, the link itself made after the bundle inside, ranks by the link and blocks", async () => {
    const run = join(temp, "old-run");
    await mkdir(run);
    await writeFile(join(run, KIT_BUNDLE_FILE), "{}");
    await utimes(join(run, KIT_BUNDLE_FILE), at(NOON - 3_600_000), at(NOON - 3_600_000));
    const link = join(evidence, "run-relinked");
    await symlink(run, link);
    await lutimes(link, at(NOON - 1_000), at(NOON - 1_000));
    const snapshot = await readLatestEvidence(evidence, undefined, settle);
    expect(snapshot.bundle).toBeNull();
    expect(snapshot.origin).toBe(link);
    expect(snapshot.problem).toContain("leads outside the evidence folder");
  });

  it("to an old bundle file, the link itself made after the bundle inside, ranks by the link and blocks", async () => {
    const outside = join(temp, "old-outside.json");
    await writeFile(outside, freshBundleBytes(NOON));
    await utimes(outside, at(NOON - 3_600_000), at(NOON - 3_600_000));
    const link = join(evidence, "relinked.json");
    await symlink(outside, link);
    await lutimes(link, at(NOON - 1_000), at(NOON - 1_000));
    const snapshot = await readLatestEvidence(evidence, undefined, settle);
    expect(snapshot.bundle).toBeNull();
    expect(snapshot.origin).toBe(link);
    expect(snapshot.problem).toContain("leads outside the evidence folder");
  });
});
